"""Per-account tabular features as of a cut-off time (pure functions of a snapshot).

    table = account_features(snapshot, cutoff)      # FeatureTable, one row per account

The snapshot is cut with `gnn.snapshot.timed.as_of` first, so every column is computed only
from edges with time < cutoff: an edge at or after it cannot change any value.
"""

from __future__ import annotations

import numpy as np

from gnn.features.flow import TRANSFERS, flow_features
from gnn.features.identity import holder_of, identity_features, person_stats
from gnn.features.proximity import proximity_features, signal_features
from gnn.features.structure import structure_features
from gnn.features.table import GROUPS, FeatureTable
from gnn.snapshot.labels import first_known
from gnn.snapshot.timed import TimedSnapshot, as_of

DEFAULT_WINDOW_DAYS = 28.0

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "GROUPS",
    "FeatureTable",
    "account_features",
    "holder_of",
    "person_stats",
]


def account_features(snapshot: TimedSnapshot, cutoff: float, *,
                     window_days: float = DEFAULT_WINDOW_DAYS,
                     signals: dict[str, np.ndarray] | None = None,
                     already_cut: bool = False) -> FeatureTable:
    """All feature groups for every account of the snapshot, as of ``cutoff``.

    ``signals`` are heuristic scores computed as of the same cut-off (or None).
    """
    snap = snapshot if already_cut else as_of(snapshot, cutoff)
    table = FeatureTable()
    flow_features(table, snap, cutoff, window_days)
    es = snap.edge(TRANSFERS)
    if es is not None and es.at is not None and es.amount is not None:
        structure_features(table, es.src, es.dst, es.amount, es.at, snap.count("Account"))
    else:
        empty = np.zeros(0)
        structure_features(table, empty, empty, empty, empty, snap.count("Account"))
    identity_features(table, snap, cutoff, window_days)
    known = first_known(snap) < cutoff
    proximity_features(table, snap, known)
    signal_features(table, snap, signals)
    return table

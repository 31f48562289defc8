"""One cut-off's model inputs: the as-of view, the feature table, known labels and the
GNN's HeteroData, standardised with statistics fitted on the training cut-off."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from torch_geometric.data import HeteroData

from gnn.features import FeatureTable, account_features
from gnn.models.data import build_hetero, other_node_features
from gnn.snapshot.labels import first_known
from gnn.snapshot.timed import TimedSnapshot, as_of

GNN_GROUPS: tuple[str, ...] = ("flow", "structure", "identity", "context")
# No ``label`` group: counts of known-fraud counterparties describe a known ring's members
# (their ring-mates are known too) and never a new ring's, so a model fitted on them
# learns "near known fraud" and misses exactly the rings nobody reported yet (on
# AMLSim-10k, known-neighbour counts beside the 12 baseline features took hidden-ring AP
# from 0.67 to 0.12). Nearness to known fraud enters the served risk as the propagation
# component instead.
TABULAR_GROUPS: tuple[str, ...] = ("flow", "structure", "identity", "context")


@dataclass
class Standardiser:
    """Per-column mean/std from training rows; constant columns get std 1."""

    mean: dict[str, list[float]] = field(default_factory=dict)
    std: dict[str, list[float]] = field(default_factory=dict)

    def fit(self, key: str, x: np.ndarray, rows: np.ndarray | None = None) -> None:
        sample = x if rows is None else x[rows]
        if sample.shape[0] == 0:
            sample = x
        mu = sample.mean(axis=0) if sample.size else np.zeros(x.shape[1])
        sd = sample.std(axis=0) if sample.size else np.ones(x.shape[1])
        self.mean[key] = [float(v) for v in mu]
        self.std[key] = [float(v) if v > 1e-9 else 1.0 for v in sd]

    def apply(self, key: str, x: np.ndarray) -> np.ndarray:
        if key not in self.mean:
            return x.astype(np.float32)
        mu = np.asarray(self.mean[key], dtype=np.float64)
        sd = np.asarray(self.std[key], dtype=np.float64)
        if mu.size != x.shape[1]:
            return x.astype(np.float32)
        return np.clip((x - mu) / sd, -10.0, 10.0).astype(np.float32)

    def as_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "std": self.std}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Standardiser:
        return cls(mean=dict(d.get("mean", {})), std=dict(d.get("std", {})))


@dataclass
class CutoffView:
    cutoff: float
    snap: TimedSnapshot  # as_of(snapshot, cutoff)
    table: FeatureTable
    known: np.ndarray  # bool per account: known positive before the cut-off
    node_x: dict[str, np.ndarray]

    def tabular(self, names: list[str]) -> np.ndarray:
        """Columns in the given order; a column this view lacks (a heuristic that did not
        run) is zeros, i.e. "no hit"."""
        have = set(self.table.names)
        zeros = np.zeros(self.table.rows)
        cols = [self.table.column(n) if n in have else zeros for n in names]
        return np.stack(cols, axis=1).astype(np.float32) if cols \
            else np.zeros((self.table.rows, 0), dtype=np.float32)


def cutoff_view(snapshot: TimedSnapshot, cutoff: float, window_days: float,
                signals: dict[str, np.ndarray] | None = None) -> CutoffView:
    snap = as_of(snapshot, cutoff)
    table = account_features(snap, cutoff, window_days=window_days, signals=signals,
                             already_cut=True)
    known = first_known(snap) < cutoff
    return CutoffView(cutoff, snap, table, known,
                      other_node_features(snap, cutoff, window_days))


def fit_standardiser(view: CutoffView, gnn_names: list[str], rows: np.ndarray) -> Standardiser:
    std = Standardiser()
    std.fit("account", view.tabular(gnn_names), rows)
    for nt, x in view.node_x.items():
        std.fit(nt, x)
    return std


def gnn_data(view: CutoffView, gnn_names: list[str], std: Standardiser) -> HeteroData:
    """HeteroData with standardised account features plus a zero flag column (last)."""
    x = std.apply("account", view.tabular(gnn_names))
    x = np.concatenate([x, np.zeros((x.shape[0], 1), dtype=np.float32)], axis=1)
    others = {nt: std.apply(nt, v) for nt, v in view.node_x.items()}
    return build_hetero(view.snap, x, view.cutoff, others)

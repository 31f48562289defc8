"""Per-edge propagation weights: relationship type x amount x time decay (pure maths)."""

from __future__ import annotations

import numpy as np

from gnn.propagation.config import SECONDS_PER_DAY, PropagationConfig
from gnn.snapshot.graph import EdgeSet, EdgeType


def amount_factor(amount: np.ndarray, ref_kzt: float) -> np.ndarray:
    """log1p(amount) / log1p(ref): grows slowly, so ten small payments can outweigh one
    large one (layering through mules is many transfers, not one). Missing (NaN) or
    non-positive amounts count as the reference amount, i.e. factor 1."""
    amt = np.asarray(amount, dtype=np.float64)
    out = np.log1p(np.where(np.isfinite(amt) & (amt > 0), amt, ref_kzt)) / np.log1p(ref_kzt)
    return np.asarray(out, dtype=np.float64)


def time_decay(at: np.ndarray, as_of: float, half_life_days: float) -> np.ndarray:
    """0.5 ** (age / half-life). Edges stamped after ``as_of`` (clock skew, late loads)
    count as fresh rather than stronger than fresh; edges without a time (NaN) do not
    decay, because their relationship (a holder, a device) is not an event."""
    t = np.asarray(at, dtype=np.float64)
    age = np.clip(as_of - t, 0.0, None)
    decay = np.exp2(-age / (half_life_days * SECONDS_PER_DAY))
    return np.where(np.isfinite(t), decay, 1.0)


def edge_weights(
    edge_type: EdgeType, edges: EdgeSet, config: PropagationConfig, as_of: float | None
) -> np.ndarray:
    """Weight of every edge of one typed edge set (float64, >= 0, aligned with ``edges``)."""
    base = config.weight_of(edge_type)
    w = np.full(len(edges), base, dtype=np.float64)
    if base == 0.0 or len(edges) == 0:
        return w
    if edge_type[1] == config.amount_rel and edges.amount is not None:
        w *= amount_factor(edges.amount, config.amount_ref_kzt)
    if config.half_life_days is not None and edges.at is not None and as_of is not None:
        w *= time_decay(edges.at, as_of, config.half_life_days)
    return w


def latest_time(edge_sets: dict[EdgeType, EdgeSet]) -> float | None:
    """The newest edge time in a snapshot: the default ``as_of`` (reproducible runs)."""
    latest: float | None = None
    for es in edge_sets.values():
        if es.at is None or len(es) == 0:
            continue
        finite = es.at[np.isfinite(es.at)]
        if finite.size:
            m = float(finite.max())
            latest = m if latest is None else max(latest, m)
    return latest

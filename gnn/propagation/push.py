"""Vectorised Andersen–Chung–Lang push on the propagation graph.

State: estimate ``p`` and residual ``r`` with the invariant ``p + PPR(r) = PPR(s)``
(PPR linear, as in ``ppr.py``). Pushing node ``u`` moves ``alpha * r[u]`` into ``p[u]``
and spreads ``(1 - alpha) * r[u]`` over its neighbours in proportion to edge weight,
which keeps the invariant exactly. Pushing stops when every node has
``|r[u]| < eps * deg(u)``; PPR is a positive linear map with ``PPR(deg) <= deg``
(equality on an undirected graph; damped upstream steps only lower it, see
``graph.py``), so the remaining error satisfies ``|PPR(s) - p| <= eps * deg`` node by
node. ``transpose=True`` pushes along ``A^T`` instead, the walk with the damping the
other way round, which ``explain.py`` needs.

Instead of a Python queue, each round pushes every node above threshold at once
(pushes commute, so the invariant still holds) with numpy gathers over the CSR rows;
only nodes that just received mass can cross the threshold, so each round looks at
the touched set, never at the whole graph. Signed residuals are allowed (a seed
weight lowered, or the tiny residual left by power iteration) and pushed on ``|r|``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gnn.propagation.graph import PropagationGraph


@dataclass
class PushStats:
    rounds: int = 0
    pushes: int = 0  # node pushes
    volume: int = 0  # CSR entries read (edges walked)
    truncated: bool = False  # stopped by the volume budget before reaching eps
    changed: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def _rows_gather(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of all CSR entries of ``rows`` and, per position, which row it came from."""
    starts = indptr[rows].astype(np.int64)
    lens = indptr[rows + 1].astype(np.int64) - starts
    total = int(lens.sum())
    owner = np.repeat(np.arange(rows.size), lens)
    pos = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return pos, owner


def above_threshold(r: np.ndarray, degree: np.ndarray, nodes: np.ndarray, eps: float) -> np.ndarray:
    rn = np.abs(r[nodes])
    return nodes[(rn >= eps * degree[nodes]) & (rn > 0)]


def push(
    graph: PropagationGraph,
    p: np.ndarray,
    r: np.ndarray,
    frontier: np.ndarray,
    eps: float,
    alpha: float,
    *,
    max_volume: int | None = None,
    transpose: bool = False,
) -> PushStats:
    """Push from ``frontier`` (the nodes whose residual changed) until ``|r| < eps*deg``
    everywhere it could have changed. ``p`` and ``r`` are updated in place."""
    adj = graph.adj_t if transpose else graph.adj
    indptr, indices, data = adj.indptr, adj.indices, adj.data
    degree = graph.degree
    stats = PushStats()
    active = above_threshold(r, degree, np.unique(np.asarray(frontier, dtype=np.int64)), eps)
    pushed: list[np.ndarray] = []
    while active.size:
        if max_volume is not None and stats.volume >= max_volume:
            stats.truncated = True
            break
        stats.rounds += 1
        stats.pushes += int(active.size)
        pushed.append(active)
        ru = r[active].copy()
        r[active] = 0.0
        deg = degree[active]
        isolated = deg == 0.0
        # An isolated node's implicit self-loop returns all its mass to itself.
        p[active] += np.where(isolated, ru, alpha * ru)
        spread = ~isolated
        if not spread.any():
            break
        rows = active[spread]
        share = (1.0 - alpha) * ru[spread] / deg[spread]
        pos, owner = _rows_gather(indptr, rows)
        stats.volume += int(pos.size)
        cols = indices[pos]
        vals = data[pos] * share[owner]
        touched, inverse = np.unique(cols, return_inverse=True)
        r[touched] += np.bincount(inverse, weights=vals, minlength=touched.size)
        active = above_threshold(r, degree, touched.astype(np.int64), eps)
    if pushed:
        stats.changed = np.unique(np.concatenate(pushed))
    return stats

"""Why an entity is risky: which seeds its score comes from, and along which paths.

Contributions. ``p(t) = sum_s w_s * pi_s(t)`` where ``pi_s`` is the PPR of a unit seed
at ``s``. The walk damps steps against a transfer's direction (``graph.py``), and
``deg(s) * pi_s(t) = deg(t) * rho_t(s)`` where ``rho`` is the PPR of the walk damped
the other way (``A^T``; on an undirected graph ``rho = pi``, reversibility): so one
local push *from the entity* along ``A^T`` yields every seed's contribution at once,
``w_s * rho_t(s) * deg(t) / deg(s)``, instead of one PPR per seed. The push stops at
``eps = rel_tol * p(t) / deg(t)``, which bounds each contribution's error by
``rel_tol * p(t) * w_s`` (``push.py``). ``rho_t(s)`` is read as
``p_t(s) + alpha * r_t(s)``: residual still sitting on a seed restarts there at least
with probability alpha, so this stays a lower bound but does not drop a high-degree
seed just because its share of the residual sat under its (degree-scaled) threshold.
For entities near the score floor ``eps`` is held at ``rel_tol`` times the floor and a
volume budget caps the work; ``explained_fraction`` reports how much of ``p(t)`` the
seeds found account for (all found seeds, not only the ``top_k`` listed).

Paths. For each top seed, the path a walker from the seed most probably takes to the
entity: maximum product of transition probabilities, i.e. a shortest path under costs
``-log(A[u, v] / deg(u))``. The same path read backwards under ``A^T`` has the product
forwards times the constant ``deg(s)/deg(t)``, so one Dijkstra from the entity over
the region the push explored (with ``A^T`` costs) serves all seeds. Each step is
reported as the strongest real edge between the two nodes (type, direction, amount,
time).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from gnn.propagation.config import PropagationConfig
from gnn.propagation.graph import PropagationGraph
from gnn.propagation.normalise import background_level, floor_level
from gnn.propagation.push import PushStats, push

# Dijkstra needs strictly positive costs; a node with a single neighbour has P = 1.
_COST_EPS = 1e-12


@dataclass(frozen=True)
class PathStep:
    from_type: str
    from_id: str
    to_type: str
    to_id: str
    rel: str
    forward: bool  # the relationship points from -> to in the graph (False: to -> from)
    amount: float | None
    at: float | None
    transition: float  # probability a walker at "from" steps to "to"


@dataclass(frozen=True)
class SeedContribution:
    node_type: str
    node_id: str
    seed_weight: float
    contribution: float  # raw PPR mass this seed gives the entity
    share: float  # contribution / entity's score
    path: list[PathStep]  # seed -> ... -> entity; empty when the entity is the seed
    path_probability: float


@dataclass
class Explanation:
    node_type: str
    node_id: str
    score: float  # raw propagated mass p(t)
    contributions: list[SeedContribution] = field(default_factory=list)
    explained_fraction: float = 0.0  # sum of all found seeds' contributions / score
    truncated: bool = False
    push: PushStats = field(default_factory=PushStats)


def _reverse_walk(
    graph: PropagationGraph, t: int, eps: float, alpha: float, max_volume: int
) -> tuple[np.ndarray, np.ndarray, PushStats]:
    n = graph.num_nodes
    p = np.zeros(n)
    r = np.zeros(n)
    r[t] = 1.0
    stats = push(graph, p, r, np.array([t]), eps, alpha, max_volume=max_volume, transpose=True)
    return p, r, stats


def _walked_region(graph: PropagationGraph, pushed: np.ndarray) -> tuple[np.ndarray, sp.csr_array]:
    """The nodes the reverse walk reached (pushed nodes and their neighbours, sorted) and
    the transition costs -log(A^T[u, w] / deg(u)) of the edges it walked, i.e. out of
    pushed nodes only: reading whole rows of hubs that were merely touched would cost
    more than the walk itself."""
    adj = graph.adj_t
    starts = adj.indptr[pushed].astype(np.int64)
    lens = adj.indptr[pushed + 1].astype(np.int64) - starts
    owner = np.repeat(pushed, lens)
    pos = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(
        starts - (np.cumsum(lens) - lens), lens
    )
    cols = adj.indices[pos].astype(np.int64)
    region = np.union1d(pushed, cols)
    cost = -np.log(adj.data[pos] / graph.degree[owner]) + _COST_EPS
    rows_local = np.searchsorted(region, owner)
    cols_local = np.searchsorted(region, cols)
    size = region.size
    return region, sp.csr_array((cost, (rows_local, cols_local)), shape=(size, size))


def entry_of(graph: PropagationGraph, u: int, v: int) -> int:
    """CSR position of matrix entry (u, v); rows are sorted by column."""
    lo, hi = int(graph.adj.indptr[u]), int(graph.adj.indptr[u + 1])
    k = lo + int(np.searchsorted(graph.adj.indices[lo:hi], v))
    if k >= hi or int(graph.adj.indices[k]) != v:
        raise KeyError((u, v))
    return k


def _step(graph: PropagationGraph, u: int, v: int) -> PathStep:
    k = entry_of(graph, u, v)
    _, rel, _ = graph.edge_types[int(graph.entry_kind[k])]
    from_type, from_id = graph.entity_of(u)
    to_type, to_id = graph.entity_of(v)
    amount = float(graph.entry_amount[k])
    at = float(graph.entry_at[k])
    return PathStep(
        from_type=from_type,
        from_id=from_id,
        to_type=to_type,
        to_id=to_id,
        rel=rel,
        forward=bool(graph.entry_forward[k]),
        amount=None if math.isnan(amount) else amount,
        at=None if math.isnan(at) else at,
        transition=float(graph.adj.data[k] / graph.degree[u]),
    )


def explain(
    graph: PropagationGraph,
    seeds: np.ndarray,
    scores: np.ndarray,
    node_type: str,
    node_id: str,
    config: PropagationConfig | None = None,
    *,
    top_k: int = 5,
    rel_tol: float = 0.01,
    background: float | None = None,
    max_volume: int = 2_000_000,
) -> Explanation:
    """Top ``top_k`` seeds behind one entity's score, each with its most probable path.
    ``background`` (``normalise.background_level``, computed when not given) sets the
    score floor below which the reverse walk stays coarse."""
    config = config or PropagationConfig()
    if background is None:
        background = background_level(seeds, graph.degree)
    min_eps = rel_tol * floor_level(config, background)
    t = graph.index_of(node_type, node_id)
    score = float(scores[t])
    out = Explanation(node_type, node_id, score)
    deg_t = float(graph.degree[t])
    if deg_t == 0.0:
        # Isolated: only the entity itself can be its seed (implicit self-loop).
        if seeds[t] > 0:
            out.contributions.append(
                SeedContribution(node_type, node_id, float(seeds[t]), score, 1.0, [], 1.0)
            )
            out.explained_fraction = 1.0
        return out
    # Never so coarse that the entity itself is not pushed once.
    eps = min(max(rel_tol * max(score, 0.0) / deg_t, min_eps), 0.5 / deg_t)
    pi_t, r_t, stats = _reverse_walk(graph, t, eps, config.alpha, max_volume)
    out.push, out.truncated = stats, stats.truncated
    region, costs = _walked_region(graph, stats.changed)
    reach = pi_t[region] + config.alpha * r_t[region]
    is_seed = (reach > 0) & (seeds[region] > 0) & (graph.degree[region] > 0)
    found = region[is_seed]
    contrib = seeds[found] * reach[is_seed] * deg_t / graph.degree[found]
    if score > 0:
        out.explained_fraction = float(contrib.sum() / score)
    order = np.argsort(-contrib)[:top_k]
    top = found[order]
    if top.size == 0:
        return out
    t_local = int(np.searchsorted(region, t))
    _, pred = dijkstra(costs, indices=t_local, return_predecessors=True)
    for s, c in zip(top.tolist(), contrib[order].tolist(), strict=True):
        # Walk predecessors from the seed back to the entity: that is seed -> entity order.
        chain = [int(np.searchsorted(region, s))]
        while chain[-1] != t_local and pred[chain[-1]] >= 0:
            chain.append(int(pred[chain[-1]]))
        nodes = [int(region[i]) for i in chain]
        steps = [_step(graph, a, b) for a, b in itertools.pairwise(nodes)]
        if chain[-1] != t_local:  # cannot happen for a pushed seed; never show half a path
            steps = []
        s_type, s_id = graph.entity_of(s)
        out.contributions.append(
            SeedContribution(
                node_type=s_type,
                node_id=s_id,
                seed_weight=float(seeds[s]),
                contribution=float(c),
                share=float(c / score) if score > 0 else 0.0,
                path=steps,
                path_probability=float(np.prod([st.transition for st in steps]))
                if steps or s == t
                else 0.0,
            )
        )
    return out

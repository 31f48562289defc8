"""Seed entities: where known fraud enters the propagation, and with what weight."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from gnn.propagation.config import PropagationConfig
from gnn.propagation.errors import PropagationError
from gnn.propagation.graph import PropagationGraph
from gnn.snapshot.graph import EdgeType, GraphSnapshot


@dataclass(frozen=True)
class Seed:
    node_type: str
    node_id: str
    weight: float  # confidence in (0, 1]: 1.0 confirmed beneficiary / black list, 0.3 grey
    reason: str = ""


def seed_vector(graph: PropagationGraph, seeds: Iterable[Seed]) -> np.ndarray:
    """Unnormalised seed vector over global indices.

    An entity named by several seeds keeps the largest weight, not the sum: a weight is
    a confidence that the entity is fraudulent, and being both blacklisted and an
    incident beneficiary does not make it twice as fraudulent. The vector is left
    unnormalised so PPR stays linear in it: a new seed only adds mass, never rescales
    the scores of everybody else (which is what makes incremental updates possible).
    """
    s = np.zeros(graph.num_nodes, dtype=np.float64)
    for seed in seeds:
        if not 0.0 < seed.weight <= 1.0:
            raise PropagationError(f"seed weight must be in (0, 1], got {seed.weight}")
        i = graph.index_of(seed.node_type, seed.node_id)
        s[i] = max(s[i], seed.weight)
    return s


def _attr(snapshot: GraphSnapshot, node_type: str, name: str) -> np.ndarray | None:
    value = snapshot.node_attrs.get(node_type, {}).get(name)
    return None if value is None else np.asarray(value)


def _edge_attr(snapshot: GraphSnapshot, edge_type: EdgeType, name: str, size: int) -> np.ndarray:
    """A per-edge factor in [0, 1]; 1 where the snapshot does not carry it (or NaN)."""
    value = snapshot.attrs(edge_type).get(name)
    if value is None:
        return np.ones(size)
    v = np.asarray(value, dtype=np.float64)
    return np.where(np.isfinite(v), v, 1.0)


def _active(
    snapshot: GraphSnapshot, node_type: str, as_of: float | None, start: str, end: str | None
) -> np.ndarray:
    """Which nodes of a type are in force at ``as_of`` (started, not yet expired).
    Missing attributes or NaN times mean no restriction, so a snapshot without times
    seeds everything it has."""
    size = len(snapshot.nodes.get(node_type, []))
    ok = np.ones(size, dtype=bool)
    if as_of is None:
        return ok
    began = _attr(snapshot, node_type, start)
    if began is not None:
        b = began.astype(np.float64)
        ok &= ~(np.isfinite(b) & (b > as_of))
    if end is not None:
        ends = _attr(snapshot, node_type, end)
        if ends is not None:
            e = ends.astype(np.float64)
            ok &= ~(np.isfinite(e) & (e <= as_of))
    return ok


def seeds_from_snapshot(
    snapshot: GraphSnapshot, config: PropagationConfig | None = None, as_of: float | None = None
) -> list[Seed]:
    """Seeds the snapshot itself knows about.

    - Every account an ``(:Incident)-[:BENEFICIARY]->(:Account)`` edge points at, weight
      ``seed_weights['beneficiary']`` times the edge's ``seed_weight`` attribute where
      the snapshot has one (reduced until the AFC confirms a bank's report about another
      bank's customer); incidents reported after ``as_of`` (node attr ``reported_at``)
      are skipped so back-tests do not see the future.
    - Every entity a ``(:ListEntry)-[:LISTS]->(x)`` edge points at, weight by the entry's
      ``list`` attribute (``black``/``grey``; entries without it count as grey), only
      while in force (``since`` <= as_of < ``until``).
    """
    config = config or PropagationConfig()
    weights = config.seed_weights
    seeds: list[Seed] = []
    for (s_type, rel, d_type), es in snapshot.edges.items():
        if rel == "BENEFICIARY" and s_type == "Incident":
            active = _active(snapshot, s_type, as_of, "reported_at", None)
            dst_ids = snapshot.nodes[d_type]
            src_ids = snapshot.nodes[s_type]
            reduced = _edge_attr(snapshot, (s_type, rel, d_type), "seed_weight", len(es))
            for a, b, k in zip(es.src.tolist(), es.dst.tolist(), reduced.tolist(), strict=True):
                weight = weights["beneficiary"] * min(max(k, 0.0), 1.0)
                if active[a] and weight > 0:
                    seeds.append(Seed(d_type, dst_ids[b], weight, f"incident {src_ids[a]}"))
        elif rel == "LISTS" and s_type == "ListEntry":
            active = _active(snapshot, s_type, as_of, "since", "until")
            lists = _attr(snapshot, s_type, "list")
            dst_ids = snapshot.nodes[d_type]
            for a, b in zip(es.src.tolist(), es.dst.tolist(), strict=True):
                if not active[a]:
                    continue
                kind = str(lists[a]) if lists is not None else "grey"
                weight = weights.get(kind, weights["grey"])
                if weight > 0:
                    seeds.append(Seed(d_type, dst_ids[b], weight, f"{kind} list"))
    return seeds

"""The directed propagation graph built from a typed ``GraphSnapshot``.

All node types share one index space: global index = offset of the type + local
index (position in ``snapshot.nodes[type]``). Every kept edge can be walked both
ways: along its direction at its weight, against it at ``upstream_of(type)`` times
that (money flows downstream, so the walk from a mule reaches its payees in full and
the victims who paid it hardly at all). Parallel edges between the same two nodes are
summed per direction, and self-loops are dropped.

``adj`` holds the walk weights ``A[u, v]`` (rows: where risk at ``u`` goes) as CSR in
float64 with int32 indices; its sparsity pattern is symmetric, so ``adj_t`` (``A^T``)
shares the index arrays and only permutes the values. ``degree`` is the undirected
weight of a node's edges (every direction at full weight) and normalises the walk:
``P = D^-1 A``. Downstream steps are therefore exactly those of the undirected walk,
upstream steps are damped, and the damped remainder ends the walk (``P`` is
substochastic). Two things follow that the rest of the package relies on: ``P`` is
entrywise at most the undirected walk's, so ``PPR(deg) <= deg`` and the push error
bound of ``push.py`` still holds; and ``deg(s) P^k[s, t] = deg(t) Q^k[t, s]`` with
``Q = D^-1 A^T`` (the walk with damping the other way), which is how ``explain.py``
finds every seed's contribution with one push from the entity. With every upstream
weight 1 the graph is the old undirected one.
float64 was measured against float32 on a 1M-node / 20M-entry matrix: the
product is dominated by random gathers of ``x``, so float32 saved only ~10% per
product while losing the precision the 6-decade normalisation needs.
The transition matrix is never materialised: ``P^T x = A^T (x / d)``, one sparse
product per power iteration.

For explanations each CSR entry also carries the single strongest underlying edge
(its edge type, original direction, amount and time), so a path read off the matrix
can always be shown as real relationships of the snapshot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from gnn.propagation.config import PropagationConfig
from gnn.propagation.edge_weights import edge_weights, latest_time
from gnn.propagation.errors import PropagationError, UnknownEntityError
from gnn.snapshot.graph import EdgeType, GraphSnapshot

log = logging.getLogger(__name__)

_INT32_MAX = np.iinfo(np.int32).max


@dataclass
class PropagationGraph:
    node_types: list[str]
    offsets: np.ndarray  # int64, len(node_types) + 1; type t owns [offsets[t], offsets[t+1])
    ids: dict[str, list[str]]
    adj: sp.csr_array  # A[u, v]: walk weight from u to v; symmetric pattern
    adj_t: sp.csr_array  # A^T, same index arrays as adj
    degree: np.ndarray  # float64 undirected weight of a node's edges: the walk's normaliser
    edge_types: list[EdgeType]
    entry_kind: np.ndarray  # int16 per CSR entry: index into edge_types of the strongest edge
    entry_forward: np.ndarray  # bool per CSR entry: that edge's source is the entry's row
    entry_amount: np.ndarray  # float64 per CSR entry, NaN where the edge has no amount
    entry_at: np.ndarray  # float64 per CSR entry, NaN where the edge has no time
    as_of: float | None
    _lookup: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    @property
    def num_nodes(self) -> int:
        return int(self.offsets[-1])

    @property
    def isolated(self) -> np.ndarray:
        return np.asarray(self.degree == 0.0)

    def type_slice(self, node_type: str) -> slice:
        t = self.node_types.index(node_type)
        return slice(int(self.offsets[t]), int(self.offsets[t + 1]))

    def index_of(self, node_type: str, node_id: str) -> int:
        """Global index of an entity; the per-type id map is built on first use."""
        if node_type not in self.ids:
            raise UnknownEntityError(f"unknown node type {node_type!r}")
        table = self._lookup.get(node_type)
        if table is None:
            table = {k: i for i, k in enumerate(self.ids[node_type])}
            self._lookup[node_type] = table
        local = table.get(node_id)
        if local is None:
            raise UnknownEntityError(f"{node_type} {node_id!r} is not in the snapshot")
        return int(self.offsets[self.node_types.index(node_type)]) + local

    def entity_of(self, index: int) -> tuple[str, str]:
        """(type, id) of a global index."""
        if not 0 <= index < self.num_nodes:
            raise UnknownEntityError(f"global index {index} out of range")
        t = int(np.searchsorted(self.offsets, index, side="right")) - 1
        node_type = self.node_types[t]
        return node_type, self.ids[node_type][index - int(self.offsets[t])]

    def split(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """Per-type views of a global vector, aligned with ``snapshot.nodes[type]``."""
        return {
            t: values[int(self.offsets[i]) : int(self.offsets[i + 1])]
            for i, t in enumerate(self.node_types)
        }


def build_propagation_graph(
    snapshot: GraphSnapshot, config: PropagationConfig | None = None, as_of: float | None = None
) -> PropagationGraph:
    """Build the propagation graph. ``as_of`` (epoch seconds) anchors time decay; by
    default the newest edge time in the snapshot, so a rebuild of the same snapshot
    gives the same weights."""
    config = config or PropagationConfig()
    node_types = list(snapshot.nodes)
    sizes = np.array([len(snapshot.nodes[t]) for t in node_types], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    type_offset = {t: int(offsets[i]) for i, t in enumerate(node_types)}
    n = int(offsets[-1])
    if as_of is None:
        as_of = latest_time(snapshot.edges)

    srcs, dsts, ws, ups, kinds, amounts, ats = [], [], [], [], [], [], []
    edge_types: list[EdgeType] = []
    for et, es in snapshot.edges.items():
        s_type, _, d_type = et
        if config.weight_of(et) == 0.0 or len(es) == 0:
            log.debug("edge type %s carries no risk; left out", et)
            continue
        for t in (s_type, d_type):
            if t not in type_offset:
                raise PropagationError(f"edge type {et} refers to unknown node type {t!r}")
        src = np.asarray(es.src, dtype=np.int64)
        dst = np.asarray(es.dst, dtype=np.int64)
        if src.size and (src.min() < 0 or src.max() >= len(snapshot.nodes[s_type])):
            raise PropagationError(f"edge type {et}: source index out of range")
        if dst.size and (dst.min() < 0 or dst.max() >= len(snapshot.nodes[d_type])):
            raise PropagationError(f"edge type {et}: target index out of range")
        w = edge_weights(et, es, config, as_of)
        gs, gd = src + type_offset[s_type], dst + type_offset[d_type]
        keep = (w > 0) & (gs != gd)
        k = len(edge_types)
        edge_types.append(et)
        srcs.append(gs[keep])
        dsts.append(gd[keep])
        ws.append(w[keep])
        ups.append(np.full(int(keep.sum()), config.upstream_of(et), dtype=np.float64))
        kinds.append(np.full(int(keep.sum()), k, dtype=np.int16))
        m = int(keep.sum())
        amounts.append(es.amount[keep] if es.amount is not None else np.full(m, np.nan))
        ats.append(es.at[keep] if es.at is not None else np.full(m, np.nan))

    cat = _concat_or_empty
    return _assemble(
        node_types=node_types,
        offsets=offsets,
        ids={t: snapshot.nodes[t] for t in node_types},
        n=n,
        src=cat(srcs, np.int64),
        dst=cat(dsts, np.int64),
        w=cat(ws, np.float64),
        up=cat(ups, np.float64),
        kind=cat(kinds, np.int16),
        amount=cat(amounts, np.float64),
        at=cat(ats, np.float64),
        edge_types=edge_types,
        as_of=as_of,
    )


def _concat_or_empty(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    if not parts:
        return np.empty(0, dtype=dtype)
    return np.concatenate(parts).astype(dtype, copy=False)


def _assemble(
    *,
    node_types: list[str],
    offsets: np.ndarray,
    ids: dict[str, list[str]],
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    up: np.ndarray,
    kind: np.ndarray,
    amount: np.ndarray,
    at: np.ndarray,
    edge_types: list[EdgeType],
    as_of: float | None,
) -> PropagationGraph:
    """Merge parallel edges per unordered pair, then mirror into a CSR whose pattern is
    symmetric and whose values are the walk weights of each direction.

    Work is done once per unordered pair (one sort of ``m`` keys), and the mirror image
    comes from scipy's C transpose and addition, carrying a position id as payload so
    edge attributes can follow each CSR entry without a second global sort.
    """
    m = src.size
    nn = np.int64(max(n, 1))
    idx_dtype = np.int32 if 2 * m < _INT32_MAX and n < _INT32_MAX else np.int64
    if m == 0:
        adj = sp.csr_array((n, n), dtype=np.float64)
        adj.indptr = adj.indptr.astype(idx_dtype)
        adj.indices = adj.indices.astype(idx_dtype)
        empty = np.empty(0)
        return PropagationGraph(
            node_types, offsets, ids, adj, adj.copy(), np.zeros(n), edge_types,
            np.empty(0, dtype=np.int16), np.empty(0, dtype=bool), empty, empty.copy(), as_of,
        )  # fmt: skip
    lo = np.minimum(src, dst)
    key = lo * nn + np.maximum(src, dst)
    del lo
    order = np.argsort(key)
    key = key[order]
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    ws = w[order]
    pair_weight = np.add.reduceat(ws, starts)
    # Per direction of the pair (lo -> hi and hi -> lo): an edge lo -> hi walks lo -> hi
    # at its weight and hi -> lo at its upstream fraction.
    src_is_lo = (src < dst)[order]
    ups = up[order] * ws
    lo_hi_weight = np.add.reduceat(np.where(src_is_lo, ws, ups), starts)
    hi_lo_weight = np.add.reduceat(np.where(src_is_lo, ups, ws), starts)
    del src_is_lo, ups
    # The strongest parallel edge explains the pair; ties go to the lowest edge number.
    lens = np.diff(np.append(starts, m))
    strongest = ws == np.repeat(np.maximum.reduceat(ws, starts), lens)
    del ws, lens
    best = np.minimum.reduceat(np.where(strongest, order, np.iinfo(np.int64).max), starts)
    del order, strongest
    pair_key = key[starts]
    del key
    upper_row, upper_col = pair_key // nn, pair_key % nn
    pairs = int(starts.size)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(upper_row, minlength=n), out=indptr[1:])
    # Payload 1..pairs (never 0, so sparse addition cannot drop an entry as a zero).
    upper = sp.csr_array(
        (
            np.arange(1, pairs + 1, dtype=np.float64),
            upper_col.astype(idx_dtype),
            indptr.astype(idx_dtype),
        ),
        shape=(n, n),
    )
    lower = sp.csr_array(upper.T)
    lower.data += pairs
    adj = sp.csr_array(upper + lower)  # disjoint patterns: no self-loops were kept
    del upper, lower
    adj.sort_indices()
    adj.indptr = adj.indptr.astype(idx_dtype, copy=False)
    adj.indices = adj.indices.astype(idx_dtype, copy=False)
    payload = adj.data.astype(np.int64) - 1
    is_upper = payload < pairs
    pair = payload % pairs
    del payload
    adj.data = pair_weight[pair]
    degree = np.asarray(adj.sum(axis=1), dtype=np.float64).ravel()  # undirected weight
    # Entry (u, v) walks u -> v; its mirror in A^T, at the same position, walks v -> u.
    adj.data = np.where(is_upper, lo_hi_weight[pair], hi_lo_weight[pair])
    adj_t = sp.csr_array((np.where(is_upper, hi_lo_weight[pair], lo_hi_weight[pair]),
                          adj.indices, adj.indptr), shape=(n, n))
    entry_edge = best[pair]
    src_is_row_of_upper = src[best] == upper_row
    forward = np.where(is_upper, src_is_row_of_upper[pair], ~src_is_row_of_upper[pair])
    log.info("propagation graph: %d nodes, %d edges kept, %d matrix entries", n, m, adj.nnz)
    return PropagationGraph(
        node_types=node_types,
        offsets=offsets,
        ids=ids,
        adj=adj,
        adj_t=adj_t,
        degree=degree,
        edge_types=edge_types,
        entry_kind=kind[entry_edge],
        entry_forward=np.asarray(forward, dtype=bool),
        entry_amount=amount[entry_edge],
        entry_at=at[entry_edge],
        as_of=as_of,
    )

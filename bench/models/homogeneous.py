"""Node classifiers for homogeneous graphs, after Platonov et al. (ICLR 2023).

"A critical look at the evaluation of GNNs under heterophily" found that classic GNNs
beat the specialised heterophily models once they get the standard deep-learning
kit: an input projection, pre-norm residual blocks (``x + block(LayerNorm(x))``), a
feed-forward sub-network after each aggregation, dropout, and - the "-sep" trick -
the node's own representation concatenated with the neighbour aggregate instead of
mixed into it. All variants here share that skeleton and differ only in the block:

    resnet   no graph: feed-forward only (the ResNet baseline)
    gcn      symmetric-normalised sum over neighbours and self
    gcn_sep  [self || symmetric-normalised sum over neighbours]
    sage     [self || mean of neighbours]            (GraphSAGE is "sep" by design)
    gat      attention over neighbours and self
    gat_sep  [self || attention over neighbours]
    gt       graph-transformer attention over neighbours and self, then feed-forward
    gt_sep   [self || transformer attention over neighbours], then feed-forward

Forward: ``model(x, graph)`` with ``graph`` a :class:`SparseGraph` built once by
``model.graph(edge_index, num_nodes)``, or a raw ``edge_index`` (converted each call,
fine for small graphs). Output: one logit per node, shape [N] (or [N, out_dim]).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from bench.models.sparse_graph import SparseGraph
from gnn.models.errors import UnknownModelError

HOMOGENEOUS_MODELS: tuple[str, ...] = (
    "resnet", "gcn", "gcn_sep", "sage", "gat", "gat_sep", "gt", "gt_sep",
)
_SELF_LOOPS = {"gcn", "gat", "gt"}  # the non-sep aggregations include the node itself


class FeedForward(nn.Module):
    def __init__(self, in_dim: int, dim: int, dropout: float, multiplier: float = 1.0) -> None:
        super().__init__()
        hidden = int(dim * multiplier)
        self.net = nn.Sequential(
            nn.Linear(in_dim, hidden), nn.Dropout(dropout), nn.GELU(),
            nn.Linear(hidden, dim), nn.Dropout(dropout),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


class AggregateBlock(nn.Module):
    """Parameter-free aggregation (mean / GCN) followed by a feed-forward network."""

    def __init__(self, kind: str, dim: int, dropout: float, multiplier: float) -> None:
        super().__init__()
        self.kind = kind
        in_dim = 2 * dim if kind in ("sage", "gcn_sep") else dim
        self.ff = FeedForward(in_dim, dim, dropout, multiplier)

    def forward(self, x: Tensor, graph: SparseGraph | None) -> Tensor:
        if graph is None:
            return self.ff(x)
        if self.kind == "gcn":
            x = graph.gcn(x)
        elif self.kind == "gcn_sep":
            x = torch.cat([x, graph.gcn(x)], dim=1)
        elif self.kind == "sage":
            x = torch.cat([x, graph.mean(x)], dim=1)
        return self.ff(x)


class GATBlock(nn.Module):
    """GAT-style additive attention (scores from the whole vector, one per head)."""

    def __init__(self, dim: int, heads: int, dropout: float, multiplier: float, sep: bool) -> None:
        super().__init__()
        if dim % heads:
            raise UnknownModelError(f"hidden size {dim} is not divisible by {heads} heads")
        self.heads, self.sep = heads, sep
        self.lin = nn.Linear(dim, dim)
        self.score_src = nn.Linear(dim, heads)
        self.score_dst = nn.Linear(dim, heads, bias=False)
        self.act = nn.LeakyReLU(0.2)
        self.ff = FeedForward(2 * dim if sep else dim, dim, dropout, multiplier)

    def forward(self, x: Tensor, graph: SparseGraph) -> Tensor:
        x = self.lin(x)
        # index_select: about 2x faster than advanced indexing for these E x heads gathers
        src = self.score_src(x).index_select(0, graph.col)
        scores = self.act(src + self.score_dst(x).index_select(0, graph.row))
        msg = graph.attention(scores, x.view(x.size(0), self.heads, -1)).reshape(x.shape)
        return self.ff(torch.cat([x, msg], dim=1) if self.sep else msg)


class TransformerBlock(nn.Module):
    """Scaled dot-product attention restricted to graph neighbours."""

    def __init__(self, dim: int, heads: int, dropout: float, sep: bool) -> None:
        super().__init__()
        if dim % heads:
            raise UnknownModelError(f"hidden size {dim} is not divisible by {heads} heads")
        self.heads, self.sep = heads, sep
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.out = nn.Sequential(nn.Linear(2 * dim if sep else dim, dim), nn.Dropout(dropout))

    def forward(self, x: Tensor, graph: SparseGraph) -> Tensor:
        n, dim = x.shape
        q, k, v = (lin(x).view(n, self.heads, -1) for lin in (self.q, self.k, self.v))
        scores = graph.edge_dot(q, k) / math.sqrt(dim // self.heads)
        msg = graph.attention(scores, v).reshape(n, dim)
        return self.out(torch.cat([x, msg], dim=1) if self.sep else msg)


class _Residual(nn.Module):
    def __init__(self, block: nn.Module, dim: int, needs_graph: bool) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.block = block
        self.needs_graph = needs_graph

    def forward(self, x: Tensor, graph: SparseGraph | None) -> Tensor:
        h = self.norm(x)
        return x + (self.block(h, graph) if self.needs_graph else self.block(h))


class ResidualGNN(nn.Module):
    """Input projection, ``num_layers`` pre-norm residual blocks, norm + linear head."""

    def __init__(
        self,
        kind: str,
        in_dim: int,
        hidden: int = 256,
        num_layers: int = 2,
        dropout: float = 0.2,
        heads: int = 8,
        ff_multiplier: float = 1.0,
        out_dim: int = 1,
    ) -> None:
        super().__init__()
        if kind not in HOMOGENEOUS_MODELS:
            raise UnknownModelError(f"unknown model {kind!r}; known: {HOMOGENEOUS_MODELS}")
        self.kind, self.out_dim = kind, out_dim
        self.input = nn.Sequential(nn.Linear(in_dim, hidden), nn.Dropout(dropout), nn.GELU())
        blocks: list[_Residual] = []
        for _ in range(num_layers):
            if kind in ("resnet", "gcn", "gcn_sep", "sage"):
                agg = AggregateBlock(kind, hidden, dropout, ff_multiplier)
                blocks.append(_Residual(agg, hidden, needs_graph=True))
            elif kind in ("gat", "gat_sep"):
                gat = GATBlock(hidden, heads, dropout, ff_multiplier, sep=kind == "gat_sep")
                blocks.append(_Residual(gat, hidden, needs_graph=True))
            else:
                att = TransformerBlock(hidden, heads, dropout, sep=kind == "gt_sep")
                blocks.append(_Residual(att, hidden, needs_graph=True))
                ff = FeedForward(hidden, hidden, dropout, ff_multiplier)
                blocks.append(_Residual(ff, hidden, needs_graph=False))
        self.blocks = nn.ModuleList(blocks)
        self.out_norm = nn.LayerNorm(hidden)
        self.head = nn.Linear(hidden, out_dim)

    @property
    def self_loops(self) -> bool:
        return self.kind in _SELF_LOOPS

    def graph(self, edge_index: Tensor, num_nodes: int) -> SparseGraph:
        """The CSR graph this model expects (with self-loops for gcn/gat/gt)."""
        return SparseGraph.from_edge_index(edge_index, num_nodes, self_loops=self.self_loops)

    def forward(self, x: Tensor, graph: SparseGraph | Tensor | None = None) -> Tensor:
        if isinstance(graph, Tensor):
            graph = self.graph(graph, x.size(0))
        if graph is None and self.kind != "resnet":
            raise UnknownModelError(f"model {self.kind!r} needs a graph")
        h = self.input(x)
        for block in self.blocks:
            h = block(h, graph)
        out = self.head(self.out_norm(h))
        return out.squeeze(-1) if self.out_dim == 1 else out


def build_model(name: str, in_dim: int, **kwargs: float | int) -> ResidualGNN:
    """A homogeneous model by name (see ``HOMOGENEOUS_MODELS``); kwargs go to ResidualGNN."""
    if name not in HOMOGENEOUS_MODELS:
        raise UnknownModelError(f"unknown model {name!r}; known: {HOMOGENEOUS_MODELS}")
    return ResidualGNN(name, in_dim, **kwargs)  # type: ignore[arg-type]

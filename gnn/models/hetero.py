"""Heterogeneous node scorers for the fraud graph (accounts, persons, phones, devices, ...).

Both models share one skeleton: a per-type input projection (or a learned type vector
for types without features), ``num_layers`` rounds of relation-wise message passing
with :class:`torch_geometric.nn.HeteroConv` (one conv per edge type, summed over the
relations that reach a type), and a head that gives one logit per target node
('account' by default). The Platonov et al. tricks carry over: pre-norm residual
updates and the node's own state kept apart from the messages ("-sep":
``h + FF([h || messages])``), so a node type that receives no message in some feed
still has a well-defined update.

    HeteroSAGE  mean over each relation's neighbours (SAGEConv without root weight)
    HeteroGAT   attention per relation (bipartite GATConv), i.e. a relational GAT
    MultiGINE   Egressy et al.'s Multi-GNN for transaction multigraphs (AAAI 2024): a
                GINE sum over each relation with edge attributes (amounts, times and
                port numbers, see `gnn.models.data`), reverse relations with their own
                weights; relations without attributes as in HeteroSAGE

HeteroConv skips edge types absent from ``edge_index_dict``, and only the node types
present in the input are updated, so a model built for the full schema also runs on a
minimal feed (accounts + transfers). Directions matter in money flows, so reverse
relations are separate edge types: see :func:`add_reverse_edges`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import torch
from torch import Tensor, nn
from torch_geometric.data import HeteroData
from torch_geometric.nn import GATConv, GINEConv, HeteroConv, SAGEConv
from torch_geometric.typing import EdgeType, Metadata, NodeType

from gnn.models.errors import ModelError, UnknownModelError

log = logging.getLogger(__name__)

HETERO_MODELS: tuple[str, ...] = ("hetero_sage", "hetero_gat", "multi_gine")
REVERSE_PREFIX = "rev_"


def add_reverse_edges(data: HeteroData) -> HeteroData:
    """A copy of ``data`` with ``(dst, rev_<rel>, src)`` added for every edge type.

    Edge types already named ``rev_*`` (or whose reverse exists) are left alone; edge
    attributes other than ``edge_index`` are copied in the reversed order.
    """
    out = data.clone()
    for src, rel, dst in list(data.edge_types):
        reverse = (dst, REVERSE_PREFIX + rel, src)
        if rel.startswith(REVERSE_PREFIX) or reverse in data.edge_types:
            continue
        store = data[src, rel, dst]
        out[reverse].edge_index = store.edge_index.flip(0)
        for key, value in store.items():
            if key != "edge_index" and isinstance(value, Tensor):
                out[reverse][key] = value
    return out


class _HeteroScorer(nn.Module):
    def __init__(
        self,
        metadata: Metadata,
        in_dims: Mapping[NodeType, int],
        hidden: int = 64,
        num_layers: int = 2,
        dropout: float = 0.2,
        target: NodeType = "account",
    ) -> None:
        super().__init__()
        node_types, edge_types = metadata
        if target not in node_types:
            raise ModelError(f"target node type {target!r} is not in the metadata")
        self.target, self.hidden = target, hidden
        self.edge_types = [tuple(et) for et in edge_types]
        self.inputs = nn.ModuleDict()
        self.type_vectors = nn.ParameterDict()
        for nt in node_types:
            dim = int(in_dims.get(nt, 0))
            if dim > 0:
                self.inputs[nt] = nn.Sequential(nn.Linear(dim, hidden), nn.GELU())
            else:
                self.type_vectors[nt] = nn.Parameter(torch.randn(hidden) * 0.1)
        self.convs = nn.ModuleList(
            HeteroConv({et: self._conv(et) for et in self.edge_types}, aggr="sum")
            for _ in range(num_layers)
        )
        self.norms = nn.ModuleList(
            nn.ModuleDict({nt: nn.LayerNorm(hidden) for nt in node_types})
            for _ in range(num_layers)
        )
        self.updates = nn.ModuleList(
            nn.ModuleDict({
                nt: nn.Sequential(nn.Linear(2 * hidden, hidden), nn.GELU(), nn.Dropout(dropout),
                                  nn.Linear(hidden, hidden), nn.Dropout(dropout))
                for nt in node_types
            })
            for _ in range(num_layers)
        )
        self.head = nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, 1))

    def _conv(self, edge_type: EdgeType) -> nn.Module:
        raise NotImplementedError

    def _embed(self, x_dict: Mapping[NodeType, Tensor],
               num_nodes_dict: Mapping[NodeType, int] | None) -> dict[NodeType, Tensor]:
        h: dict[NodeType, Tensor] = {}
        for nt, x in x_dict.items():
            if nt in self.inputs:
                h[nt] = self.inputs[nt](x.float())
            elif nt in self.type_vectors:
                h[nt] = self.type_vectors[nt].expand(x.size(0), -1)
            else:
                log.debug("ignoring node type %r unknown to the model", nt)
        for nt, n in (num_nodes_dict or {}).items():
            if nt not in h and nt in self.type_vectors:
                h[nt] = self.type_vectors[nt].expand(int(n), -1)
            elif nt not in h and nt in self.inputs:
                raise ModelError(f"node type {nt!r} needs features (x) for this model")
        return h

    def forward(
        self,
        x_dict: Mapping[NodeType, Tensor],
        edge_index_dict: Mapping[EdgeType, Tensor],
        num_nodes_dict: Mapping[NodeType, int] | None = None,
        edge_attr_dict: Mapping[EdgeType, Tensor] | None = None,
    ) -> Tensor:
        """One logit per target node. Types without features need ``num_nodes_dict``
        (``data.num_nodes_dict``) unless they appear in ``x_dict``; models that read edge
        attributes take them from ``edge_attr_dict`` (others ignore it)."""
        h = self._embed(x_dict, num_nodes_dict)
        if self.target not in h:
            raise ModelError(f"no input for target node type {self.target!r}")
        edges = {et: ei for et, ei in edge_index_dict.items()
                 if tuple(et) in self.edge_types and et[0] in h and et[2] in h}
        attrs = self._edge_attrs(edges, edge_attr_dict)
        layers = zip(self.convs, self.norms, self.updates, strict=True)
        for conv, norms, updates in layers:
            assert isinstance(norms, nn.ModuleDict) and isinstance(updates, nn.ModuleDict)
            normed = {nt: norms[nt](v) for nt, v in h.items()}
            # HeteroConv hands each relation only the attributes it has.
            msgs = conv(normed, edges, edge_attr_dict=attrs) if edges else {}
            h = {
                nt: v + updates[nt](torch.cat([normed[nt], msgs.get(nt, torch.zeros_like(v))], 1))
                for nt, v in h.items()
            }
        return self.head(h[self.target]).squeeze(-1)

    def _edge_attrs(self, edges: Mapping[EdgeType, Tensor],
                    given: Mapping[EdgeType, Tensor] | None) -> dict[EdgeType, Tensor]:
        return {}


def _mean_conv(hidden: int) -> nn.Module:
    return SAGEConv((hidden, hidden), hidden, aggr="mean", root_weight=False)


class HeteroSAGE(_HeteroScorer):
    """Heterogeneous GraphSAGE: per-relation neighbour mean, summed over relations."""

    def _conv(self, edge_type: EdgeType) -> nn.Module:
        return _mean_conv(self.hidden)


class HeteroGAT(_HeteroScorer):
    """Relational GAT: per-relation attention (bipartite GATConv), summed over relations."""

    def __init__(self, metadata: Metadata, in_dims: Mapping[NodeType, int], hidden: int = 64,
                 num_layers: int = 2, dropout: float = 0.2, target: NodeType = "account",
                 heads: int = 4) -> None:
        if hidden % heads:
            raise ModelError(f"hidden size {hidden} is not divisible by {heads} heads")
        self.heads = heads
        super().__init__(metadata, in_dims, hidden, num_layers, dropout, target)

    def _conv(self, edge_type: EdgeType) -> nn.Module:
        return GATConv((self.hidden, self.hidden), self.hidden // self.heads, heads=self.heads,
                       add_self_loops=False)


class MultiGINE(_HeteroScorer):
    """Multi-GNN (Egressy et al.): GINE with edge attributes on the relations that have
    them, each direction its own weights; mean aggregation (as HeteroSAGE) elsewhere."""

    def __init__(self, metadata: Metadata, in_dims: Mapping[NodeType, int],
                 edge_dims: Mapping[EdgeType, int], hidden: int = 64, num_layers: int = 2,
                 dropout: float = 0.2, target: NodeType = "account") -> None:
        self.edge_dims = {tuple(et): int(d) for et, d in edge_dims.items() if d > 0}
        super().__init__(metadata, in_dims, hidden, num_layers, dropout, target)

    def _conv(self, edge_type: EdgeType) -> nn.Module:
        dim = self.edge_dims.get(tuple(edge_type))
        if not dim:
            return _mean_conv(self.hidden)
        mlp = nn.Sequential(nn.Linear(self.hidden, self.hidden), nn.GELU(),
                            nn.Linear(self.hidden, self.hidden))
        return GINEConv(mlp, train_eps=True, edge_dim=dim)

    def _edge_attrs(self, edges: Mapping[EdgeType, Tensor],
                    given: Mapping[EdgeType, Tensor] | None) -> dict[EdgeType, Tensor]:
        out: dict[EdgeType, Tensor] = {}
        for et in edges:
            if tuple(et) not in self.edge_dims:
                continue
            attr = (given or {}).get(et)
            if attr is None or attr.size(-1) != self.edge_dims[tuple(et)]:
                raise ModelError(f"edge type {et!r} needs edge_attr of width "
                                 f"{self.edge_dims[tuple(et)]} for this model")
            out[et] = attr.float()
        return out


def edge_dims(data: HeteroData) -> dict[EdgeType, int]:
    """The width of each edge type's ``edge_attr``, for the types that have one."""
    return {et: int(data[et].edge_attr.size(-1)) for et in data.edge_types
            if "edge_attr" in data[et]}


def hetero_model(name: str, metadata: Metadata, in_dims: Mapping[NodeType, int],
                 edge_dims: Mapping[EdgeType, int] | None = None, hidden: int = 64,
                 num_layers: int = 2, dropout: float = 0.2, target: NodeType = "account"
                 ) -> _HeteroScorer:
    """A model by name for a schema (node/edge types, feature and edge-attribute sizes)."""
    if name == "hetero_sage":
        return HeteroSAGE(metadata, in_dims, hidden, num_layers, dropout, target)
    if name == "hetero_gat":
        return HeteroGAT(metadata, in_dims, hidden, num_layers, dropout, target)
    if name == "multi_gine":
        return MultiGINE(metadata, in_dims, edge_dims or {}, hidden, num_layers, dropout, target)
    raise UnknownModelError(f"unknown hetero model {name!r}; known: {HETERO_MODELS}")


def build_hetero_model(name: str, data: HeteroData, hidden: int = 64, num_layers: int = 2,
                       dropout: float = 0.2, target: NodeType = "account") -> _HeteroScorer:
    """A model for ``data``'s schema (node/edge types and feature sizes)."""
    in_dims = {nt: int(data[nt].x.size(-1)) for nt in data.node_types if "x" in data[nt]}
    return hetero_model(name, data.metadata(), in_dims, edge_dims(data), hidden, num_layers,
                        dropout, target)

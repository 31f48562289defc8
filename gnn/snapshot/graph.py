"""An in-memory, typed snapshot of the graph: the common input of propagation and the GNN.

Node ids are graph keys (pseudonyms); positions in ``nodes[type]`` are the integer
indices used by every edge array. Times are epoch seconds (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

EdgeType = tuple[str, str, str]  # (source node type, relationship type, target node type)


@dataclass
class EdgeSet:
    src: np.ndarray  # int64 indices into nodes[source type]
    dst: np.ndarray  # int64 indices into nodes[target type]
    amount: np.ndarray | None = None  # float64 KZT, transfers only
    at: np.ndarray | None = None  # float64 epoch seconds, where the relationship has a time

    def __len__(self) -> int:
        return int(self.src.shape[0])


@dataclass
class GraphSnapshot:
    nodes: dict[str, list[str]] = field(default_factory=dict)  # type -> ids, position = index
    edges: dict[EdgeType, EdgeSet] = field(default_factory=dict)
    node_attrs: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # Extra per-edge columns aligned with ``edges[edge type]`` (beyond amount and time).
    edge_attrs: dict[EdgeType, dict[str, np.ndarray]] = field(default_factory=dict)

    def attrs(self, edge_type: EdgeType) -> dict[str, np.ndarray]:
        return self.edge_attrs.get(edge_type, {})

    def index(self, node_type: str) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.nodes.get(node_type, []))}

    @property
    def num_nodes(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def num_edges(self) -> int:
        return sum(len(e) for e in self.edges.values())

"""GNN models: homogeneous residual GNNs (Tolokers-style) and heterogeneous fraud-graph models."""

from gnn.models.errors import ModelError, UnknownModelError
from gnn.models.hetero import HETERO_MODELS, HeteroGAT, HeteroSAGE, build_hetero_model
from gnn.models.homogeneous import HOMOGENEOUS_MODELS, ResidualGNN, build_model
from gnn.models.sparse_graph import SparseGraph

__all__ = [
    "HETERO_MODELS",
    "HOMOGENEOUS_MODELS",
    "HeteroGAT",
    "HeteroSAGE",
    "ModelError",
    "ResidualGNN",
    "SparseGraph",
    "UnknownModelError",
    "build_hetero_model",
    "build_model",
]

"""GNN models of the fraud graph: the heterogeneous models that `fraudgraph train` fits and
serves. (The homogeneous models of the Tolokers benchmark live in `bench.models`.)"""

from gnn.models.errors import ModelError, UnknownModelError
from gnn.models.hetero import HETERO_MODELS, HeteroGAT, HeteroSAGE, build_hetero_model

__all__ = [
    "HETERO_MODELS",
    "HeteroGAT",
    "HeteroSAGE",
    "ModelError",
    "UnknownModelError",
    "build_hetero_model",
]

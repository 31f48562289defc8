"""Models that only benchmarks use: the homogeneous residual GNNs of the Tolokers benchmark
(`bench/tolokers.py`) and their sparse adjacency. The served models are in `gnn.models`."""

from bench.models.homogeneous import HOMOGENEOUS_MODELS, ResidualGNN, build_model
from bench.models.sparse_graph import SparseGraph

__all__ = ["HOMOGENEOUS_MODELS", "ResidualGNN", "SparseGraph", "build_model"]

"""Errors of the GNN model stack (models, training loops, metrics), under ``GnnError``."""

from gnn.errors import GnnError


class ModelError(GnnError):
    """A model, training run or metric was asked for something it cannot do."""


class UnknownModelError(ModelError):
    """A model name that the registry does not know."""

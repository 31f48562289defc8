"""The exception root of the GNN model stack (models, training loops, metrics)."""

from fraudgraph.errors import FraudgraphError


class ModelError(FraudgraphError):
    """A model, training run or metric was asked for something it cannot do."""


class UnknownModelError(ModelError):
    """A model name that the registry does not know."""

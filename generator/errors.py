"""The generator's exceptions."""

from fraudgraph.errors import FraudgraphError


class GenerateError(FraudgraphError):
    """A world that cannot be generated with the given parameters."""


class TruthError(GenerateError):
    """A truth file that cannot be read (missing, or a row without its entity)."""

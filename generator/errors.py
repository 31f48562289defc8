"""The generator's exceptions."""

from fraudgraph.errors import FraudgraphError


class GenerateError(FraudgraphError):
    """A world that cannot be generated with the given parameters."""

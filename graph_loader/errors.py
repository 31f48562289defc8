"""The loader's exceptions."""

from fraudgraph.errors import FraudgraphError


class GraphLoaderError(FraudgraphError):
    """Root of the loader's errors."""


class FeedError(GraphLoaderError):
    """A feed file that cannot be read at all (missing header, unknown format)."""


class FieldError(ValueError):
    """One field of one row is invalid; the message is the reason shown to the sender."""

"""The exception root of risk propagation."""

from __future__ import annotations

from fraudgraph.errors import FraudgraphError


class PropagationError(FraudgraphError):
    """Risk propagation cannot proceed: bad configuration, unknown entity, bad seed."""


class UnknownEntityError(PropagationError):
    """An entity (type, id) asked for is not in the propagation graph's snapshot."""

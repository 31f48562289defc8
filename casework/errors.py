"""The casework package's exceptions (one root)."""

from __future__ import annotations

from fraudgraph.errors import FraudgraphError


class CaseworkError(FraudgraphError):
    """Root of alert, case and monitoring errors."""


class TransitionError(CaseworkError):
    """A case change the case's current state does not allow (e.g. a note on a closed
    case, closing without a verdict)."""


class NotFoundError(CaseworkError):
    """No alert or case with that id."""

"""Errors of risk propagation, under ``GnnError`` (one root for the whole of gnn/, so
``except GnnError`` sees them all)."""

from __future__ import annotations

from gnn.errors import GnnError


class PropagationError(GnnError):
    """Risk propagation cannot proceed: bad configuration, unknown entity, bad seed."""


class UnknownEntityError(PropagationError):
    """An entity (type, id) asked for is not in the propagation graph's snapshot."""

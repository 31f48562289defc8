"""Typed access to what create_app put on app.state, and identifier resolution."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.config import ApiConfig
from api.db import Graph
from api.errors import Unprocessable
from api.metrics import Metrics
from api.risk import RiskEngine
from fraudgraph.pseudonym import PREFIX, Pseudonymiser, is_pseudonym
from graph_loader import fields as F
from graph_loader.errors import FieldError

_PARSERS = {"account": F.iban, "person": F.iin, "phone": F.phone, "device": F.device_id}


def graph(request: Request) -> Graph:
    g: Graph = request.app.state.graph
    return g


def pseudo(request: Request) -> Pseudonymiser:
    p: Pseudonymiser = request.app.state.pseudo
    return p


def config(request: Request) -> ApiConfig:
    c: ApiConfig = request.app.state.config
    return c


def engine(request: Request) -> RiskEngine:
    e: RiskEngine = request.app.state.engine
    return e


def metrics(request: Request) -> Metrics:
    m: Metrics = request.app.state.metrics
    return m


def audit_detail(request: Request, **detail: Any) -> None:
    """Facts for this request's audit event: pseudonyms and ids only, never raw values."""
    request.scope.setdefault("state", {}).setdefault("audit", {}).update(detail)


def resolve_id(p: Pseudonymiser, kind: str, value: str, field: str) -> str:
    """A raw identifier (validated like the feeds) or a pseudonym of this kind ->
    the pseudonym. Messages never echo the value."""
    value = value.strip()
    if is_pseudonym(value):
        if not value.startswith(PREFIX[kind] + "_"):
            raise Unprocessable(f"{field}: a pseudonym of another kind than {kind}",
                                field=field)
        return value
    try:
        raw = _PARSERS[kind](value)
    except FieldError as e:
        raise Unprocessable(f"{field}: {e}", field=field) from None
    return p(kind, raw)

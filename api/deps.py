"""The routes' dependencies (what create_app and its lifespan put on app.state, and the
authenticated caller) as Annotated types, and identifier resolution.

A route names what it needs in its signature (`graph: GraphDep`), so a test can swap any
of them through `app.dependency_overrides` (`deps.graph`, `api.auth.authenticate`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from api.auth import KeyCache, authenticate
from api.config import ApiConfig
from api.db import Graph
from api.errors import Unprocessable
from api.keys import Principal
from api.metrics import Metrics
from api.querylib import QueryCatalogue
from api.risk import RiskEngine
from fraudgraph.pseudonym import PREFIX, Pseudonymiser, is_pseudonym
from graph_loader import fields as F
from graph_loader.errors import FieldError


def _account(value: object) -> str:
    # An account is also a counterparty outside the participants (a card, an e-wallet, a
    # foreign IBAN): a payment to a card is checked, and looked up, like any other.
    return F.counterparty(value)[0]


_PARSERS = {"account": _account, "person": F.iin, "phone": F.phone, "device": F.device_id}


async def graph(request: Request) -> Graph:
    g: Graph = request.app.state.graph
    return g


async def pseudo(request: Request) -> Pseudonymiser:
    p: Pseudonymiser = request.app.state.pseudo
    return p


async def config(request: Request) -> ApiConfig:
    c: ApiConfig = request.app.state.config
    return c


async def engine(request: Request) -> RiskEngine:
    e: RiskEngine = request.app.state.engine
    return e


async def metrics(request: Request) -> Metrics:
    m: Metrics = request.app.state.metrics
    return m


async def queries(request: Request) -> QueryCatalogue:
    q: QueryCatalogue = request.app.state.queries
    return q


async def key_cache(request: Request) -> KeyCache:
    k: KeyCache = request.app.state.keys
    return k


# The getters are coroutines only so that FastAPI calls them inline: a plain function
# dependency goes through the thread pool, a cost on every /v1/check.
GraphDep = Annotated[Graph, Depends(graph)]
PseudoDep = Annotated[Pseudonymiser, Depends(pseudo)]
ConfigDep = Annotated[ApiConfig, Depends(config)]
EngineDep = Annotated[RiskEngine, Depends(engine)]
MetricsDep = Annotated[Metrics, Depends(metrics)]
QueriesDep = Annotated[QueryCatalogue, Depends(queries)]
KeyCacheDep = Annotated[KeyCache, Depends(key_cache)]
# The authenticated caller. Which permission a route needs stays in its decorator
# (`dependencies=[Depends(require(...))]`); FastAPI runs authenticate once per request
# for both, so an override of authenticate is seen by the permission check too.
PrincipalDep = Annotated[Principal, Depends(authenticate)]


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

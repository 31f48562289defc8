"""GET /v1/alerts (the queue), GET /v1/alerts/{id}, POST /v1/alerts/{id}/dismiss.

Alerts are raised by each detect / score / propagate run (casework/hooks.py), or by
`fraudgraph alerts raise`. A bank's key sees only alerts about its own customers (the
alert's banks include it)."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from neo4j import AsyncManagedTransaction

from api import deps
from api.auth import require
from api.db import Graph
from api.deps import GraphDep, PrincipalDep, PseudoDep
from api.errors import Conflict, Forbidden, NotFound, Unprocessable
from api.keys import Principal
from api.models.casework import AlertDetail, AlertPage, DismissIn
from casework import case_store
from casework.errors import NotFoundError, TransitionError
from cypher import statement
from fraudgraph.pseudonym import scrub_text
from fraudgraph.vocabulary import Band

router = APIRouter(prefix="/v1", tags=["alerts"])
T = TypeVar("T")
STATUSES = ("open", "in_case", "dismissed", "closed")


async def write(graph: Graph, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
    """One casework write; refused transitions are 409, unknown ids 404 (rolled back)."""
    try:
        return await graph.write(work)
    except TransitionError as e:
        raise Conflict(str(e)) from None
    except NotFoundError as e:
        raise NotFound(str(e)) from None


def history_out(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = [{**e, "detail": json.loads(e["detail"]) if e.get("detail") else {}} for e in events]
    return sorted(out, key=lambda e: (e.get("seq") or 0, e["at_ts"]))


def parse_time(value: str | None, field: str) -> int | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise Unprocessable(f"{field}: not an ISO-8601 time", field=field) from None
    if dt.tzinfo is None:
        raise Unprocessable(f"{field}: needs a time zone (e.g. +05:00)", field=field)
    return int(dt.timestamp())


def bank_scope(principal: Principal, bank: str | None) -> str | None:
    """The bank filter a caller gets: a bank's key only ever its own bank."""
    if principal.role != "bank":
        return bank
    if bank is not None and bank.upper() != principal.bank:
        raise Forbidden(f"a key of bank {principal.bank} sees only its own customers' alerts")
    return principal.bank


@router.get("/alerts", response_model=AlertPage, summary="The alert queue",
            dependencies=[Depends(require("alerts:read"))])
async def list_alerts(
    principal: PrincipalDep,
    graph: GraphDep,
    status: list[Literal["open", "in_case", "dismissed", "closed"]] = Query(
        ["open", "in_case"], description="repeatable; default: open and in a case"),
    bank: str | None = Query(None, max_length=32, pattern=r"^[A-Za-z0-9_]+$"),
    band: Band | None = None,
    scheme: str | None = Query(None, max_length=64),
    kind: Literal["account", "person", "phone", "device", "cluster"] | None = None,
    current: bool | None = Query(None, description="still flagged by the latest run"),
    raised_after: str | None = Query(None, max_length=40, description="ISO-8601"),
    raised_before: str | None = Query(None, max_length=40, description="ISO-8601"),
    sort: Literal["priority", "raised", "money", "risk"] = "priority",
    order: Literal["desc", "asc"] = "desc",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    row = await graph.read_one(
        statement("alerts/queue"), statuses=list(status),
        bank=bank_scope(principal, bank.upper() if bank else None), band=band, scheme=scheme,
        kind=kind, current=current, raised_after=parse_time(raised_after, "raised_after"),
        raised_before=parse_time(raised_before, "raised_before"), sort=sort,
        descending=order == "desc", offset=offset, limit=limit)
    row = row or {"total": 0, "items": [], "as_of": None}
    return {"items": row["items"], "total": row["total"], "limit": limit, "offset": offset,
            "as_of": row["as_of"]}


async def _get(graph: Graph, alert_id: str, principal: Principal) -> dict[str, Any]:
    row = await graph.read_one(statement("alerts/get"), id=alert_id)
    if row is None:
        raise NotFound(f"no alert {alert_id}")
    if principal.role == "bank" and principal.bank not in (row["alert"].get("banks") or []):
        raise Forbidden("a bank sees only alerts about its own customers")
    return row


@router.get("/alerts/{alert_id}", response_model=AlertDetail,
            summary="One alert, its case and its history",
            dependencies=[Depends(require("alerts:read"))])
async def get_alert(principal: PrincipalDep, graph: GraphDep,
                    alert_id: str = Path(min_length=1, max_length=64)) -> Any:
    row = await _get(graph, alert_id, principal)
    return {"alert": row["alert"], "case": row["case"], "history": history_out(row["history"])}


@router.post("/alerts/{alert_id}/dismiss", response_model=AlertDetail,
             summary="Dismiss an open alert (a false alarm) with a reason",
             responses={409: {"description": "the alert is not open"}},
             dependencies=[Depends(require("cases"))])
async def dismiss_alert(request: Request, body: DismissIn, principal: PrincipalDep,
                        graph: GraphDep, p: PseudoDep,
                        alert_id: str = Path(min_length=1, max_length=64)) -> Any:
    reason = scrub_text(body.reason, p)

    async def work(tx: AsyncManagedTransaction) -> None:
        await case_store.dismiss(tx, alert_id, reason, now_ts=int(time.time()),
                                 by=principal.key_id)

    await write(graph, work)
    deps.audit_detail(request, alert=alert_id, change="dismiss")
    row = await _get(graph, alert_id, principal)
    return {"alert": row["alert"], "case": row["case"], "history": history_out(row["history"])}

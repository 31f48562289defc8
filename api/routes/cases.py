"""/v1/cases: open a case from alerts or entities, assign it, add notes and links, close
it with a verdict, reopen it. AFC analysts and admins only. Every change is one
transaction that appends to the case's history (who: the API key id; when)."""

from __future__ import annotations

import time
from functools import partial
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from neo4j import AsyncManagedTransaction

from api import deps
from api.auth import require
from api.db import Graph
from api.deps import GraphDep, PrincipalDep, PseudoDep
from api.errors import NotFound, Unprocessable
from api.keys import Principal
from api.models.casework import (
    AssignIn,
    CaseDetail,
    CaseIn,
    CasePage,
    CloseIn,
    EntityIn,
    LinksIn,
    NoteIn,
    ReopenIn,
)
from api.routes.alerts import history_out, parse_time, write
from casework import case_store
from casework import cases as C
from cypher import statement
from fraudgraph.pseudonym import Pseudonymiser, scrub_text

router = APIRouter(prefix="/v1", tags=["cases"])
CaseId = Path(min_length=1, max_length=64)
_409: dict[int | str, dict[str, Any]] = {
    409: {"description": "the case's state does not allow this change"}}


def _entities(p: Pseudonymiser, entities: list[EntityIn]) -> list[dict[str, str]]:
    return [{"kind": e.kind, "id": deps.resolve_id(p, e.kind, e.id, f"entities[{i}].id")}
            for i, e in enumerate(entities)]


async def _detail(graph: Graph, case_id: str) -> dict[str, Any]:
    row = await graph.read_one(statement("cases/get"), id=case_id)
    if row is None:
        raise NotFound(f"no case {case_id}")
    case = row["case"]
    case["alerts"] = len(row["alerts"])
    return {"case": case, "alerts": row["alerts"], "entities": row["entities"],
            "verdicts": row["verdicts"], "history": history_out(row["history"])}


@router.post("/cases", response_model=CaseDetail, status_code=201,
             summary="Open a case from alerts and/or entities", responses=_409,
             dependencies=[Depends(require("cases"))])
async def create_case(request: Request, body: CaseIn, principal: PrincipalDep,
                      graph: GraphDep, p: PseudoDep) -> Any:
    entities = _entities(p, body.entities)
    title = scrub_text(body.title, p)

    async def work(tx: AsyncManagedTransaction) -> str:
        return await case_store.create_case(
            tx, title=title, assignee=body.assignee, alerts=body.alerts, entities=entities,
            now_ts=int(time.time()), by=principal.key_id)

    case_id = await write(graph, work)
    deps.audit_detail(request, case=case_id, change="create", alerts=body.alerts)
    return await _detail(graph, case_id)


@router.get("/cases", response_model=CasePage, summary="Cases, most recently changed first",
            dependencies=[Depends(require("cases"))])
async def list_cases(
    graph: GraphDep,
    status: Literal["open", "assigned", "closed"] | None = None,
    assignee: str | None = Query(None, max_length=64),
    bank: str | None = Query(None, max_length=32),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    row = await graph.read_one(
        statement("cases/list"), status=status, assignee=assignee,
        bank=bank.upper() if bank else None, offset=offset, limit=limit)
    row = row or {"total": 0, "items": []}
    return {"items": row["items"], "total": row["total"], "limit": limit, "offset": offset}


@router.get("/cases/{case_id}", response_model=CaseDetail,
            summary="One case: alerts, entities, verdicts and its whole history",
            dependencies=[Depends(require("cases"))])
async def get_case(graph: GraphDep, case_id: str = CaseId) -> Any:
    return await _detail(graph, case_id)


async def _change(request: Request, graph: Graph, case_id: str, principal: Principal,
                  transition: Any, decided_ts: int | None = None,
                  **audit: Any) -> dict[str, Any]:
    async def work(tx: AsyncManagedTransaction) -> C.Transition:
        return await case_store.change(tx, case_id, transition, now_ts=int(time.time()),
                                       by=principal.key_id, decided_ts=decided_ts)

    t = await write(graph, work)
    deps.audit_detail(request, case=case_id, change=t.action, **audit)
    return await _detail(graph, case_id)


@router.post("/cases/{case_id}/assign", response_model=CaseDetail, responses=_409,
             summary="Assign (or, with assignee null, unassign) the case",
             dependencies=[Depends(require("cases"))])
async def assign(request: Request, body: AssignIn, principal: PrincipalDep, graph: GraphDep,
                 case_id: str = CaseId) -> Any:
    t = C.unassign if body.assignee is None else partial(_assign, body.assignee)
    return await _change(request, graph, case_id, principal, t)


def _assign(who: str, state: C.CaseState) -> C.Transition:
    return C.assign(state, who)


@router.post("/cases/{case_id}/notes", response_model=CaseDetail, responses=_409,
             summary="Add a note (identifiers in it are pseudonymised)",
             dependencies=[Depends(require("cases"))])
async def add_note(request: Request, body: NoteIn, principal: PrincipalDep, graph: GraphDep,
                   p: PseudoDep, case_id: str = CaseId) -> Any:
    text = scrub_text(body.text, p)
    return await _change(request, graph, case_id, principal, lambda s: C.note(s, text))


@router.post("/cases/{case_id}/links", response_model=CaseDetail, responses=_409,
             summary="Link more alerts or entities",
             dependencies=[Depends(require("cases"))])
async def add_links(request: Request, body: LinksIn, principal: PrincipalDep,
                    graph: GraphDep, p: PseudoDep, case_id: str = CaseId) -> Any:
    entities = _entities(p, body.entities)
    return await _change(request, graph, case_id, principal,
                         lambda s: C.link(s, body.alerts, entities), alerts=body.alerts)


@router.post("/cases/{case_id}/close", response_model=CaseDetail, responses=_409,
             summary="Close with a verdict; verdicts on accounts become training labels",
             dependencies=[Depends(require("cases"))])
async def close(request: Request, body: CloseIn, principal: PrincipalDep, graph: GraphDep,
                p: PseudoDep, case_id: str = CaseId) -> Any:
    reason = scrub_text(body.reason, p)
    decided = parse_time(body.decided_at, "decided_at")
    if decided is not None and decided > time.time() + 300:
        raise Unprocessable("decided_at: in the future", field="decided_at")
    return await _change(request, graph, case_id, principal,
                         lambda s: C.close(s, body.verdict, body.scheme, reason),
                         decided_ts=decided, verdict=body.verdict)


@router.post("/cases/{case_id}/reopen", response_model=CaseDetail, responses=_409,
             summary="Reopen a closed case; its verdict and labels are withdrawn",
             dependencies=[Depends(require("cases"))])
async def reopen(request: Request, body: ReopenIn, principal: PrincipalDep, graph: GraphDep,
                 p: PseudoDep, case_id: str = CaseId) -> Any:
    reason = scrub_text(body.reason, p)
    return await _change(request, graph, case_id, principal, lambda s: C.reopen(s, reason))

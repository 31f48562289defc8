"""POST /v1/incidents (a new fraud report), its confirmation and retraction, and
GET /v1/incidents/{id}/trace.

A bank reports for its own customer (the victim must be held at the caller's bank).
Its beneficiaries at other banks seed at a reduced weight
(ApiConfig.unconfirmed_foreign_seed_weight) until the AFC confirms the incident, so one
bank alone cannot raise another bank's customer to full risk. A retracted incident is
no evidence any more and its seeds are withdrawn. A bank's trace shows hops through
other banks' customers as "at another bank", with amount and time only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Body, Depends, Path, Request
from neo4j import AsyncManagedTransaction

from api import deps, trace_service
from api.auth import require
from api.db import Graph, cypher, tx_rows
from api.deps import ConfigDep, EngineDep, GraphDep, PrincipalDep, PseudoDep
from api.errors import Conflict, Forbidden, NotFound, Unprocessable
from api.models.incidents import (
    IncidentCreated,
    IncidentIn,
    IncidentRetractIn,
    IncidentState,
    TraceResponse,
)
from api.risk import RiskEngine
from api.visibility import Scope
from fraudgraph.pseudonym import scrub_text
from gnn.propagation.config import DEFAULT_SEED_WEIGHTS
from graph_loader.feeds import RowRejected, ShapeContext, incidents
from graph_loader.load import write_statement

router = APIRouter(prefix="/v1", tags=["incidents"])


def _raw_row(body: IncidentIn, now: datetime) -> dict[str, Any]:
    """The request as a row of the `incidents` feed, so the loader's rules apply."""
    return {
        "incident_id": body.incident_id,
        "reported_at": body.reported_at or now.isoformat(),
        "reporter": body.reporter,
        "scheme": body.scheme,
        "victim_iban": body.victim_iban,
        "amount_kzt": body.amount_kzt,
        "beneficiary_ibans": ";".join(body.beneficiary_ibans),
        "caller_phone": body.caller_phone,
        "occurred_at": body.occurred_at,
    }


@router.post("/incidents", response_model=IncidentCreated, status_code=201,
             summary="Report an incident; updates risk around its beneficiaries",
             responses={409: {"description": "incident id already taken"}},
             dependencies=[Depends(require("incidents:create"))])
async def create_incident(request: Request, body: IncidentIn, principal: PrincipalDep,
                          graph: GraphDep, engine: EngineDep, p: PseudoDep,
                          config: ConfigDep) -> Any:
    if principal.role == "bank" and body.reporter.strip().upper() != principal.bank:
        raise Forbidden(f"a key of bank {principal.bank} may report only as {principal.bank}")
    now = datetime.now(UTC)
    ctx = ShapeContext(now=now, pseudo=p)
    try:
        row = incidents(_raw_row(body, now), ctx).row
    except RowRejected as e:
        raise Unprocessable(f"{e.field}: {e.reason}", field=e.field) from None
    accounts = [row["victim"], *row["beneficiaries"]]

    async def work(tx: AsyncManagedTransaction) -> None:
        check = (await tx_rows(tx, cypher("incident_exists"), id=row["id"],
                               accounts=accounts))[0]
        if check["exists"]:
            raise Conflict(f"incident {row['id']} already exists")
        known = set(check["known"])
        if row["victim"] not in known:
            raise Unprocessable("victim_iban: refers to an account that is not loaded",
                                field="victim_iban")
        # A beneficiary no participant holds (a card, an e-wallet, a foreign IBAN, or a
        # KZ IBAN no accounts feed sent) is an :External counterparty, as in the feed.
        # Built afresh each try, so a retried transaction writes what this one read.
        outside = {x["id"] for x in row["externals"]}
        shaped = {**row, "externals": [
            *row["externals"], *({"id": b, "kind": "iban"} for b in row["beneficiaries"]
                                 if b not in known and b not in outside)]}
        del pending[:]  # a managed transaction may run more than once
        bank_of = {b["id"]: b["bank"] for b in check["banks"]}
        if not scope.sees([bank_of.get(row["victim"])]):
            raise Forbidden(f"a key of bank {principal.bank} reports incidents of its own "
                            "customers only: the victim account is held at another bank")
        pending.extend(b for b in row["beneficiaries"] if not scope.sees([bank_of.get(b)]))
        await (await tx.run(*write_statement("incidents", [shaped]))).consume()
        await (await tx.run(cypher("incident_pending"), id=row["id"], by=principal.key_id,
                            pending=pending, weight=reduced)).consume()

    scope = Scope.of(principal)
    reduced = config.unconfirmed_foreign_seed_weight
    pending: list[str] = []
    await graph.write(work)
    full = DEFAULT_SEED_WEIGHTS["beneficiary"]
    weight = {b: reduced if b in pending else full for b in row["beneficiaries"]}
    seeds = [("account", b, weight[b]) for b in row["beneficiaries"]]
    updated = await to_thread.run_sync(lambda: engine.on_new_seeds(seeds))
    deps.audit_detail(request, incident=row["id"], victim=row["victim"],
                      beneficiaries=row["beneficiaries"], pending=pending)
    return {"id": row["id"], "victim": row["victim"], "beneficiaries": row["beneficiaries"],
            "caller": row["caller"], "reported_ts": row["reported_ts"],
            "seeds_updated": int(updated or 0), "confirmed": not pending,
            "pending_confirmation": pending}


@router.post("/incidents/{incident_id}/confirm", response_model=IncidentState,
             summary="The AFC confirms an incident: its beneficiaries seed at full weight",
             responses={404: {"description": "no such incident in force"}},
             dependencies=[Depends(require("incidents:confirm"))])
async def confirm_incident(
    request: Request, principal: PrincipalDep, graph: GraphDep, engine: EngineDep,
    incident_id: str = Path(min_length=1, max_length=128),
) -> Any:
    confirmed = await _correct(request, graph, engine, incident_id, "incident_confirm",
                               "confirm_incident", "confirmed", 1.0, by=principal.key_id)
    return {"id": incident_id, "confirmed": True, "retracted": False, "seeds": confirmed}


async def _correct(request: Request, g: Graph, engine: RiskEngine, incident_id: str,
                   statement: str,
                   change: str, accounts_key: str, weight: float,
                   **params: Any) -> list[str]:
    """One correction of an incident in force (confirm, retract): the write, then the
    accounts it names re-seeded at ``weight`` (0: what their other evidence justifies),
    audited. 404 when the incident is not in force."""
    now = datetime.now(UTC).isoformat()

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        return await tx_rows(tx, cypher(statement), id=incident_id, at=now, **params)

    rows = await g.write(work)
    if not rows:
        raise NotFound(f"no incident {incident_id} in force")
    accounts = [str(b) for b in rows[0][accounts_key]]
    seeds = [("account", b, weight) for b in accounts]
    if seeds:
        await to_thread.run_sync(lambda: engine.on_new_seeds(seeds))
    deps.audit_detail(request, change=change, incident=incident_id, accounts=accounts)
    return accounts


@router.post("/incidents/{incident_id}/retract", response_model=IncidentState,
             summary="Retract an incident (its reporter or the AFC): no longer evidence, "
                     "its seeds withdrawn",
             responses={404: {"description": "no such incident in force"}},
             dependencies=[Depends(require("incidents:retract"))])
async def retract_incident(
    request: Request, principal: PrincipalDep, g: GraphDep, engine: EngineDep,
    p: PseudoDep, body: IncidentRetractIn = Body(),
    incident_id: str = Path(min_length=1, max_length=128),
) -> Any:
    head = await g.read_one(cypher("incident_head"), id=incident_id)
    if head is None or head["retracted"]:
        raise NotFound(f"no incident {incident_id} in force")
    if principal.role == "bank" and head.get("reporter") != principal.bank:
        raise Forbidden("a bank may retract only the incidents it reported")
    why = scrub_text(body.reason.strip(), p)
    withdrawn = await _correct(request, g, engine, incident_id, "incident_retract",
                               "retract_incident", "withdrawn", 0.0, by=principal.key_id,
                               reason=why)
    return {"id": incident_id, "confirmed": bool(head["confirmed"]), "retracted": True,
            "seeds": withdrawn}


@router.get("/incidents/{incident_id}/trace", response_model=TraceResponse,
            summary="Where the victim's money went, hop by hop, and who holds it now",
            responses={404: {"description": "no such incident"}},
            dependencies=[Depends(require("incidents:trace"))])
async def trace_incident(
    request: Request, principal: PrincipalDep, g: GraphDep, cfg: ConfigDep,
    incident_id: str = Path(min_length=1, max_length=128),
) -> Any:
    head = await trace_service.incident_head(g, incident_id)
    if head is None:
        raise NotFound(f"no incident {incident_id}")
    if principal.role == "bank" and head["incident"].get("reporter") != principal.bank:
        raise Forbidden("a bank may trace only the incidents it reported")
    limits = trace_service.TraceLimits(cfg.trace_window_s, cfg.trace_max_hops,
                                       cfg.trace_max_edges)
    trace = await trace_service.trace(g, incident_id, head, limits)
    deps.audit_detail(request, incident=incident_id, accounts=sorted(trace.accounts))
    return trace.seen_by(Scope.of(principal))

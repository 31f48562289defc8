"""POST /v1/incidents (a new fraud report) and GET /v1/incidents/{id}/trace."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Path, Request
from neo4j import AsyncManagedTransaction

from api import deps
from api.auth import require
from api.db import cypher, tx_rows
from api.errors import Conflict, Forbidden, NotFound, Unprocessable
from api.keys import Principal
from api.models.incidents import IncidentCreated, IncidentIn, TraceResponse
from api.trace import Edge, allocate, start_lots
from gnn.propagation.config import DEFAULT_SEED_WEIGHTS
from graph_loader.feeds import RowRejected, ShapeContext, incidents
from graph_loader.load import cypher as loader_cypher

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
             responses={409: {"description": "incident id already taken"}})
async def create_incident(request: Request, body: IncidentIn,
                          principal: Principal = Depends(require("incidents:create"))) -> Any:
    if principal.role == "bank" and body.reporter.strip().upper() != principal.bank:
        raise Forbidden(f"a key of bank {principal.bank} may report only as {principal.bank}")
    now = datetime.now(UTC)
    ctx = ShapeContext(now=now, pseudo=deps.pseudo(request))
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
        if any(b not in known for b in row["beneficiaries"]):
            raise Unprocessable("beneficiary_ibans: refers to an account that is not loaded",
                                field="beneficiary_ibans")
        await (await tx.run(loader_cypher("incidents"), rows=[row])).consume()

    await deps.graph(request).write(work)
    seeds = [("account", b, DEFAULT_SEED_WEIGHTS["beneficiary"]) for b in row["beneficiaries"]]
    updated = await to_thread.run_sync(lambda: deps.engine(request).on_new_seeds(seeds))
    deps.audit_detail(request, incident=row["id"], victim=row["victim"],
                      beneficiaries=row["beneficiaries"])
    return {"id": row["id"], "victim": row["victim"], "beneficiaries": row["beneficiaries"],
            "caller": row["caller"], "reported_ts": row["reported_ts"],
            "seeds_updated": int(updated or 0)}


@router.get("/incidents/{incident_id}/trace", response_model=TraceResponse,
            summary="Where the victim's money went, hop by hop, and who holds it now",
            responses={404: {"description": "no such incident"}})
async def trace_incident(
    request: Request,
    incident_id: str = Path(min_length=1, max_length=128),
    principal: Principal = Depends(require("incidents:trace")),
) -> Any:
    g = deps.graph(request)
    cfg = deps.config(request)
    head = await g.read_one(cypher("trace_start"), id=incident_id, slack=86400)
    if head is None:
        raise NotFound(f"no incident {incident_id}")
    inc = head["incident"]
    if principal.role == "bank" and inc.get("reporter") != principal.bank:
        raise Forbidden("a bank may trace only the incidents it reported")
    deps.audit_detail(request, incident=incident_id)
    start = start_lots(inc, head["beneficiaries"], head["paid"], cfg.trace_window_s)
    edges: dict[str, Edge] = {}
    truncated = False
    if start:
        until = min(s[2] for s in start) + cfg.trace_window_s
        since: dict[str, int] = {}
        frontier: dict[str, int] = {acc: ts for acc, _, ts, _ in start}
        for _hop in range(cfg.trace_max_hops):
            todo = {a: t for a, t in frontier.items() if a not in since or t < since[a]}
            if not todo:
                break
            since.update(todo)
            room = cfg.trace_max_edges - len(edges)
            rows = await g.read(cypher("trace_hop"), until=until, limit=room + 1,
                                frontier=[{"id": a, "since": t} for a, t in todo.items()])
            if len(rows) > room:
                truncated, rows = True, rows[:room]
            frontier = {}
            for r in rows:
                edges[r["tx_id"]] = Edge(str(r["tx_id"]), r["src"], r["dst"], int(r["ts"]),
                                         float(r["amount"]), r["channel"], r["interbank"])
                dst, at = str(r["dst"]), int(r["ts"])
                if r["channel"] != "atm":
                    frontier[dst] = min(frontier.get(dst, at), at)
            if truncated:
                break
    res = allocate([(a, k, t) for a, k, t, _ in start], list(edges.values()),
                   cfg.trace_max_hops)
    banks = {r["id"]: r["bank"] for r in await g.read(
        cypher("account_banks"), ids=[h["account"] for h in res.holders])}
    return {
        "incident": incident_id, "victim": head["victim"],
        "window_s": cfg.trace_window_s, "max_hops": cfg.trace_max_hops,
        "start": [{"account": a, "kzt": round(k, 2), "ts": t, "source": s}
                  for a, k, t, s in start],
        "hops": [{"hop": h, "traced_kzt": round(sum(e["traced_kzt"] for e in es), 2),
                  "edges": es} for h, es in sorted(res.hops.items())],
        "holders": [{**h, "bank": banks.get(h["account"])} for h in res.holders],
        "cash_outs": res.cash_outs,
        "totals": {"reported_kzt": inc.get("amount"), "start_kzt": res.start_kzt,
                   "held_kzt": res.held_kzt, "cashed_out_kzt": res.cashed_out_kzt},
        "truncated": truncated,
    }

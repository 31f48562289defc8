"""POST /v1/check: the pre-payment check (the hot path: one read query, no auth round
trip thanks to the key cache, audit and metrics off the request's critical path).

Scope (api/visibility.py): a bank checks payments of its own customers only (a payer the
graph knows at another bank: 403). About a payee at another bank it learns the decision
and the reason codes, and a score computed from the payee's band, not its risk, so that
the noisy-OR cannot be solved for the hidden risk."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request, Response

from api import deps
from api.auth import require
from api.db import cypher
from api.decision import decide, facts_from_row
from api.deps import ConfigDep, GraphDep, MetricsDep, PrincipalDep, PseudoDep
from api.errors import Forbidden, Unprocessable
from api.models.check import CheckReason, CheckRequest, CheckResponse
from api.visibility import Scope, band_floor

router = APIRouter(prefix="/v1", tags=["check"])
_MIN_TS = int(datetime(1990, 1, 1, tzinfo=UTC).timestamp())


@router.post("/check", response_model=CheckResponse,
             summary="Pre-payment check: allow, review or block",
             dependencies=[Depends(require("check"))])
async def check(request: Request, body: CheckRequest, principal: PrincipalDep,
                graph: GraphDep, p: PseudoDep, config: ConfigDep,
                metrics: MetricsDep) -> Response:
    payer = deps.resolve_id(p, "account", body.payer_account, "payer_account")
    payee = deps.resolve_id(p, "account", body.payee_account, "payee_account")
    if payer == payee:
        raise Unprocessable("payee_account: the payer's own account", field="payee_account")
    device = deps.resolve_id(p, "device", body.device_id, "device_id") if body.device_id else None
    phone = deps.resolve_id(p, "phone", body.phone, "phone") if body.phone else None
    now = time.time()
    try:
        at = int(body.at.timestamp()) if body.at is not None else int(now)
    except (OverflowError, ValueError, OSError):
        at = -1
    if at > now + 86400 or at < _MIN_TS:
        raise Unprocessable("at: must lie between 1990 and tomorrow", field="at")
    t = config.check
    row = await graph.read_one(
        cypher("check"), budget_s=config.check_timeout_s, payer=payer,
        payee=payee, device=device, phone=phone, at=at,
        sim_window=t.sim_change_window_s, inbound_window=t.inbound_window_s) or {}
    row["device_given"] = device is not None
    scope = Scope.of(principal)
    if row.get("payer_known") and not scope.sees([row.get("payer_bank")]):
        deps.audit_detail(request, payer=payer, payee=payee, refused="payer_at_other_bank")
        raise Forbidden(f"a key of bank {principal.bank} checks payments of its own "
                        "customers only: the payer account is held at another bank")
    facts = facts_from_row(row)
    # A bank learns the decision and the codes about another bank's customer, not the
    # evidence behind them (list entry ids, scores): the payee's risk enters the score
    # as its band's lower bound.
    evidence = scope.sees([facts.payee_bank])
    if not evidence:
        facts = dataclasses.replace(facts, payee_risk=band_floor(facts.payee_risk))
    verdict = decide(facts, body.amount_kzt, at, t, payee_evidence=evidence)
    metrics.decisions.labels(verdict.decision).inc()
    deps.audit_detail(request, payer=payer, payee=payee, decision=verdict.decision)
    out = CheckResponse(
        decision=verdict.decision, score=verdict.score,
        reasons=[CheckReason(code=r.code, text=r.text, effect=r.effect)
                 for r in verdict.reasons],
        payer=payer, payee=payee, at=datetime.fromtimestamp(at, UTC))
    # Serialised here, once: FastAPI would validate the model a second time.
    return Response(out.model_dump_json(), media_type="application/json")

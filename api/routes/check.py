"""POST /v1/check: the pre-payment check (the hot path: one read query, no auth round
trip thanks to the key cache, audit and metrics off the request's critical path)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request, Response

from api import deps
from api.auth import require, sees_full_detail
from api.db import cypher
from api.decision import decide, facts_from_row
from api.errors import Unprocessable
from api.keys import Principal
from api.models.check import CheckReason, CheckRequest, CheckResponse

router = APIRouter(prefix="/v1", tags=["check"])
_MIN_TS = int(datetime(1990, 1, 1, tzinfo=UTC).timestamp())


@router.post("/check", response_model=CheckResponse,
             summary="Pre-payment check: allow, review or block")
async def check(request: Request, body: CheckRequest,
                principal: Principal = Depends(require("check"))) -> Response:
    p = deps.pseudo(request)
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
    t = deps.config(request).check
    row = await deps.graph(request).read_one(
        cypher("check"), payer=payer, payee=payee, device=device, phone=phone, at=at,
        sim_window=t.sim_change_window_s, inbound_window=t.inbound_window_s) or {}
    row["device_given"] = device is not None
    facts = facts_from_row(row)
    # A bank learns the decision and the codes about another bank's customer, not the
    # evidence behind them (list entry ids, scores).
    evidence = sees_full_detail(principal, facts.payee_bank)
    verdict = decide(facts, body.amount_kzt, at, t, payee_evidence=evidence)
    deps.metrics(request).decisions.labels(verdict.decision).inc()
    deps.audit_detail(request, payer=payer, payee=payee, decision=verdict.decision)
    out = CheckResponse(
        decision=verdict.decision, score=verdict.score,
        reasons=[CheckReason(code=r.code, text=r.text, effect=r.effect)
                 for r in verdict.reasons],
        payer=payer, payee=payee, at=datetime.fromtimestamp(at, UTC))
    # Serialised here, once: FastAPI would validate the model a second time.
    return Response(out.model_dump_json(), media_type="application/json")

"""POST /v1/screen (before onboarding, credit or SIM issuance: allow, review or block)
and POST /v1/reidentify (admins: does a pseudonym belong to this identifier?)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request

from api import deps
from api.auth import require
from api.deps import GraphDep, PrincipalDep, PseudoDep
from api.models.screen import ReidentifyIn, ReidentifyOut, ScreenIn, ScreenOut
from api.screening import screen
from api.visibility import Scope
from cypher import template
from fraudgraph.vocabulary import LABEL_OF

router = APIRouter(prefix="/v1", tags=["screening"])


@router.post("/screen", response_model=ScreenOut,
             summary="Screen a person or account before a service is given",
             dependencies=[Depends(require("screen"))])
async def screen_entity(request: Request, body: ScreenIn, principal: PrincipalDep,
                        graph: GraphDep, p: PseudoDep) -> Any:
    eid = deps.resolve_id(p, body.kind, body.id, "id")
    row = await graph.read_one(
        template("api/screen", LABEL=LABEL_OF[body.kind]), id=eid,
        now=int(time.time()))
    scope = Scope.of(principal)
    evidence = row is not None and scope.sees(row.get("banks") or [])
    decision, reasons = screen(body.kind, row, evidence=evidence)
    deps.audit_detail(request, entity=eid, purpose=body.purpose, decision=decision,
                      evidence=evidence)
    return {"decision": decision, "purpose": body.purpose,
            "reasons": [{"code": r.code, "text": r.text, "effect": r.effect}
                        for r in reasons],
            "restricted": not evidence and row is not None}


@router.post("/reidentify", response_model=ReidentifyOut,
             summary="Admins: which of the candidate identifiers a pseudonym belongs to",
             dependencies=[Depends(require("reidentify"))])
async def reidentify(request: Request, body: ReidentifyIn, p: PseudoDep) -> Any:
    """fraudgraph keeps no raw identifiers (only keyed hashes), so it cannot read one back:
    re-identification is the confirmation that a pseudonym seen in evidence belongs to an
    identifier the AFC holds lawfully (a participant's report, a court order). Every call
    is in the audit trail with its purpose and case reference; the raw candidates are
    not (their pseudonyms are)."""
    target = deps.resolve_id(p, body.kind, body.pseudonym, "pseudonym")
    resolved = [deps.resolve_id(p, body.kind, c, f"candidates[{i}]")
                for i, c in enumerate(body.candidates)]
    match = next((i for i, c in enumerate(resolved) if c == target), None)
    deps.audit_detail(request, reidentify=target, purpose=body.purpose,
                      case_ref=body.case_ref, candidates=resolved, matched=match is not None)
    return {"pseudonym": target, "matched": match is not None, "candidate_index": match,
            "purpose": body.purpose, "case_ref": body.case_ref}

"""GET /v1/entities/{kind}/{id}/risk: stored risk, band, reasons and paths."""

from __future__ import annotations

import time
from typing import Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, Path, Request

from api import deps
from api.auth import require, sees_full_detail
from api.db import cypher
from api.errors import NotFound
from api.explain import band_of, fact_reasons, link_reasons, merge_engine, number, plain
from api.keys import Principal
from api.models.risk import RiskResponse

router = APIRouter(prefix="/v1", tags=["entities"])

_LABELS = {"account": "Account", "person": "Person", "phone": "Phone", "device": "Device"}
# Bounds of the two-hop neighbourhood search (entity_links.cypher).
_FANOUT, _PER_BRANCH, _HUB_DEGREE, _LINK_LIMIT = 200, 20, 1000, 25


def _query(name: str, kind: str) -> str:
    return cypher(name).replace("$$LABEL$$", _LABELS[kind])


@router.get(
    "/entities/{kind}/{entity_id}/risk", response_model=RiskResponse,
    summary="Risk, band, reasons and explanation paths of one entity",
    responses={404: {"description": "no such entity"}},
)
async def entity_risk(
    request: Request,
    kind: Literal["account", "person", "phone", "device"],
    entity_id: str = Path(min_length=1, max_length=128,
                          description="raw identifier (IBAN, IIN, phone, device id) or "
                                      "its pseudonym"),
    principal: Principal = Depends(require("risk")),
) -> Any:
    eid = deps.resolve_id(deps.pseudo(request), kind, entity_id, "entity_id")
    deps.audit_detail(request, entity=eid)
    g = deps.graph(request)
    now = int(time.time())
    facts = await g.read_one(_query("entity_facts", kind), id=eid, now=now)
    if facts is None:
        raise NotFound(f"no {kind} {eid} in the graph")
    risk = number(facts.get("risk"))
    band = facts.get("band") or band_of(risk)
    band = str(band) if band is not None else None
    out: dict[str, Any] = {
        "kind": kind, "id": eid, "bank": facts.get("bank"), "band": band,
        "engine": getattr(deps.engine(request), "name", type(deps.engine(request)).__name__),
    }
    if not sees_full_detail(principal, facts.get("bank") if kind == "account" else None):
        # Another bank's customer: the band only, no score, no evidence.
        out["restricted"] = True
        return out
    engine_out = await to_thread.run_sync(
        lambda: deps.engine(request).explain(kind, eid, top=5))
    links = await g.read(_query("entity_links", kind), id=eid, now=now, fanout=_FANOUT,
                         per_branch=_PER_BRANCH, hub_degree=_HUB_DEGREE, limit=_LINK_LIMIT)
    paths, seeds = merge_engine(engine_out)
    if engine_out and number(engine_out.get("risk")) is not None:
        risk = number(engine_out["risk"])
        out["band"] = engine_out.get("band") or band_of(risk)
    out.update(
        risk=risk, restricted=False,
        risk_updated_at=plain(facts.get("risk_updated_at")),
        prop_score=number(facts.get("prop_score")), gnn_score=number(facts.get("gnn_score")),
        reasons=fact_reasons(facts) + link_reasons(kind, eid, links),
        paths=paths, top_seeds=seeds,
    )
    if out["risk_updated_at"] is not None:
        out["risk_updated_at"] = str(out["risk_updated_at"])
    return out

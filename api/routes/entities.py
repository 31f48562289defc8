"""Risk cards: POST /v1/entities/lookup (a raw identifier or pseudonym in the body) and
GET /v1/entities/{kind}/{pseudonym}/risk (pseudonyms only: raw identifiers never travel in
an address, where browser histories and proxy logs keep them)."""

from __future__ import annotations

import time
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Path, Request

from api import deps
from api.auth import require
from api.db import Graph
from api.deps import EngineDep, GraphDep, PrincipalDep, PseudoDep
from api.errors import NotFound, Unprocessable
from api.explain import fact_reasons, link_reasons, merge_engine, number, plain
from api.keys import Principal
from api.models.risk import LookupIn, RiskResponse
from api.risk import RiskEngine
from api.visibility import Scope, owners, pseudonyms_in, redact_value
from cypher import template
from fraudgraph.pseudonym import is_pseudonym
from fraudgraph.vocabulary import LABEL_OF, EntityKind, band_of

router = APIRouter(prefix="/v1", tags=["entities"])

# Bounds of the two-hop neighbourhood search (entity_links.cypher).
_FANOUT, _PER_BRANCH, _HUB_DEGREE, _LINK_LIMIT = 200, 20, 1000, 25


def _query(name: str, kind: str) -> str:
    return template(f"api/{name}", LABEL=LABEL_OF[kind])


@router.post(
    "/entities/lookup", response_model=RiskResponse,
    summary="Risk card of one entity named by a raw identifier or pseudonym (in the body)",
    responses={404: {"description": "no such entity"},
               429: {"description": "this key's lookup rate limit is reached"}},
    dependencies=[Depends(require("risk", rate="lookup"))],
)
async def lookup(request: Request, body: LookupIn, principal: PrincipalDep, p: PseudoDep,
                 graph: GraphDep, engine: EngineDep) -> Any:
    raw = not is_pseudonym(body.id.strip())
    eid = deps.resolve_id(p, body.kind, body.id, "id")
    return await risk_card(request, graph, engine, principal, body.kind, eid, named_raw=raw)


@router.get(
    "/entities/{kind}/{entity_id}/risk", response_model=RiskResponse,
    summary="Risk, band, reasons and explanation paths of one entity (by pseudonym)",
    responses={404: {"description": "no such entity"}},
    dependencies=[Depends(require("risk"))],
)
async def entity_risk(
    request: Request,
    kind: EntityKind,
    principal: PrincipalDep,
    p: PseudoDep,
    graph: GraphDep,
    engine: EngineDep,
    entity_id: str = Path(min_length=1, max_length=128,
                          description="the entity's pseudonym (acc_/per_/pho_/dev_...); "
                                      "raw identifiers go in POST /v1/entities/lookup"),
) -> Any:
    if not is_pseudonym(entity_id.strip()):
        raise Unprocessable("entity_id: a pseudonym only; send raw identifiers in the body "
                            "of POST /v1/entities/lookup", field="entity_id")
    eid = deps.resolve_id(p, kind, entity_id, "entity_id")
    return await risk_card(request, graph, engine, principal, kind, eid, named_raw=False)


async def risk_card(request: Request, g: Graph, engine: RiskEngine, principal: Principal,
                    kind: str, eid: str, *, named_raw: bool) -> dict[str, Any]:
    """The card as `principal` may see it (api/visibility.py)."""
    scope = Scope.of(principal)
    now = int(time.time())
    facts = await g.read_one(_query("entity_facts", kind), id=eid, now=now)
    if facts is None:
        deps.audit_detail(request, entity=eid, found=False)
        # A raw identifier's pseudonym is not echoed: the lookup is no pseudonym oracle.
        raise NotFound(f"no such {kind} in the graph" if named_raw
                       else f"no {kind} {eid} in the graph")
    risk = number(facts.get("risk"))
    band = facts.get("band") or band_of(risk)
    band = str(band) if band is not None else None
    out: dict[str, Any] = {
        "kind": kind, "id": eid, "bank": facts.get("bank"), "band": band,
        "engine": getattr(engine, "name", type(engine).__name__),
    }
    if not scope.sees(facts.get("banks") or []):
        # Another bank's customer: the band only, no score, no evidence.
        out["restricted"] = True
        deps.audit_detail(request, entity=eid, restricted=True)
        return out
    engine_out = await to_thread.run_sync(
        lambda: engine.explain(kind, eid, top=5))
    links = await g.read(_query("entity_links", kind), id=eid, now=now, fanout=_FANOUT,
                         per_branch=_PER_BRANCH, hub_degree=_HUB_DEGREE, limit=_LINK_LIMIT)
    paths, seeds = merge_engine(engine_out)
    if engine_out and number(engine_out.get("risk")) is not None:
        risk = number(engine_out["risk"])
        out["band"] = engine_out.get("band") or band_of(risk)
    reasons = fact_reasons(facts)
    linked = link_reasons(kind, eid, links)
    if not scope.everything:
        known = await owners(g, pseudonyms_in([reasons, paths, seeds])
                             | {n["id"] for r in linked for n in r["path"]["nodes"]})
        reasons = [{**r, "evidence": redact_value(r["evidence"], scope, known),
                    "text": redact_value(r["text"], scope, known)} for r in reasons]
        linked = _scoped_links(linked, scope, known)
        paths = [scope.redact_path(p, known) for p in paths]
        seeds = [s if scope.sees_id(str(s.get("id")), known)
                 else {**s, "id": None, "at_other_bank": True,
                       "band": getattr(known.get(str(s.get("id"))), "band", None)}
                 for s in seeds]
    out.update(
        risk=risk, restricted=False,
        risk_updated_at=plain(facts.get("risk_updated_at")),
        prop_score=number(facts.get("prop_score")), gnn_score=number(facts.get("gnn_score")),
        reasons=reasons + linked, paths=paths, top_seeds=seeds,
    )
    if out["risk_updated_at"] is not None:
        out["risk_updated_at"] = str(out["risk_updated_at"])
    deps.audit_detail(request, entity=eid, restricted=False,
                      evidence=sorted({n["id"] for r in out["reasons"] if r.get("path")
                                       for n in r["path"]["nodes"] if n.get("id")}))
    return out


def _scoped_links(linked: list[dict[str, Any]], scope: Scope, known: dict[str, Any]
                  ) -> list[dict[str, Any]]:
    """Link reasons whose target is foreign become one reason per path: 'n hop(s) from an
    account at another bank (band b)', without its list entries or incidents."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for r in linked:
        path = scope.redact_path(r["path"], known)
        target = path["nodes"][-1]
        if not target.get("at_other_bank"):
            out.append({**r, "path": path})
            continue
        key = tuple((n.get("id"), n.get("band")) for n in path["nodes"]) + tuple(path["rels"])
        if key in seen:
            continue
        seen.add(key)
        hops = len(path["rels"])
        band = target.get("band")
        out.append({
            "code": "LINKED_TO_RISK_AT_OTHER_BANK",
            "text": f"{hops} hop(s) from {target['text']}"
                    + (f" (band {band})" if band else ""),
            "severity": "high" if hops == 1 and band in ("high", "critical") else "medium",
            "score": None, "evidence": {"band": band}, "path": path})
    return out

"""Alerts in Neo4j: gather the latest runs' evidence, apply the rules of
`casework.alerts`, write ``(:Alert)-[:ABOUT]->(entity)`` and an ``(:AlertRun)``.

Run by `fraudgraph detect`, `score` and `propagate` after their run (casework/hooks.py),
or on its own (`fraudgraph alerts raise`).
Times are data times (the run's as-of, by default the newest transfer), so a replayed
world's alerts are dated in its own calendar and lead times compare with incidents'
report times.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, RoutingControl

from casework.alerts import (
    DAY_S,
    Action,
    AlertConfig,
    Evidence,
    Prior,
    alert_id,
    decide,
    merge,
    priority,
    reasons,
)
from cypher import statement, template
from cypher.detect import resolve_as_of
from fraudgraph.db import write_batches
from fraudgraph.vocabulary import BAND_FLOOR, CLUSTER, LABEL_OF

log = logging.getLogger(__name__)

# What an alert can be about: the entities, and the clusters that are alerts of their own.
LABELS = {**LABEL_OF, "cluster": CLUSTER}
# How an entity reaches the accounts whose banks and money it involves.
_ACCOUNTS = {
    "account": "(acc:Account) WHERE acc = n",
    "person": "(n)-[:HOLDS]->(acc:Account)",
    "phone": "(n)<-[:HAS_PHONE]-(:Person)-[:HOLDS]->(acc:Account)",
    "device": "(n)<-[:USED]-(acc:Account)",
}


def q(name: str) -> str:
    return statement(f"alerts/{name}")


def _labelled(name: str, kind: str, **parts: str) -> str:
    return template(f"alerts/{name}", LABEL=LABELS[kind], **parts)


def ensure_schema(driver: Driver, database: str) -> None:
    text = "\n".join(ln for ln in q("schema").splitlines() if not ln.strip().startswith("//"))
    for stmt in (s.strip() for s in text.split(";")):
        if stmt:
            driver.execute_query(stmt, database_=database)


def _read(driver: Driver, database: str, query: str, **params: Any) -> list[dict[str, Any]]:
    recs, _, _ = driver.execute_query(query, params, database_=database,
                                      routing_=RoutingControl.READ)
    return [r.data() for r in recs]


def gather(driver: Driver, database: str, cfg: AlertConfig, as_of: int) -> dict[str, Evidence]:
    """Evidence of every entity some source flags, merged per entity, with banks and
    money at stake filled in for those that qualify."""
    rows: list[dict[str, Any]] = []
    rows += _read(driver, database, q("evidence_risk"), min_risk=BAND_FLOOR[cfg.min_band],
                  gnn_min=cfg.gnn_min)
    rows += _read(driver, database, q("evidence_signals"))
    for c in _read(driver, database, q("evidence_clusters")):
        rows.append({"kind": "cluster", "id": c["id"], "size": c["size"], "banks": c["banks"],
                     "money_kzt": c["money_kzt"], "scheme": c["scheme"], "risk": c["risk"],
                     "growth_rate": c["growth_rate"]})
        if (c["size"] or 0) >= cfg.cluster_min_size:  # a pair is no ring
            rows += [{"kind": "account", "id": m, "cluster": c["id"], "scheme": c["scheme"]}
                     for m in c["members"]]
    evidence = {k: e for k, e in merge(rows).items() if reasons(e, cfg)}
    since = as_of - cfg.money_window_days * DAY_S
    for kind in _ACCOUNTS:
        ids = [e.entity_id for e in evidence.values() if e.kind == kind]
        for i in range(0, len(ids), 2000):
            for r in _read(driver, database, _labelled("entity_context", kind,
                                                         ACCOUNTS=_ACCOUNTS.get(kind, "")),
                           ids=ids[i:i + 2000], since=since, until=as_of + 1):
                e = evidence[f"{kind}:{r['id']}"]
                e.banks.update(b for b in r["banks"] if b)
                e.money_kzt = max(e.money_kzt, float(r["money"] or 0.0))
    return evidence


def priors(driver: Driver, database: str, keys: list[str]) -> dict[str, Prior]:
    out: dict[str, Prior] = {}
    for i in range(0, len(keys), 5000):
        for r in _read(driver, database, q("priors"), keys=keys[i:i + 5000]):
            held = json.loads(r["held_evidence"]) if r["held_evidence"] else {}
            out[r["key"]] = Prior(r["id"], r["status"], r["held_since_ts"], held)
    return out


def _row(e: Evidence, aid: str, why: list[str], cfg: AlertConfig) -> dict[str, Any]:
    return {"id": aid, "kind": e.kind, "entity_id": e.entity_id, "key": e.key,
            "banks": sorted(e.banks), "risk": e.risk, "band": e.band, "gnn_score": e.gnn_score,
            "heuristics": sorted(e.heuristics), "clusters": sorted(e.clusters),
            "money_kzt": round(e.money_kzt, 2), "scheme": e.scheme, "size": e.size,
            "growth_rate": e.growth_rate, "priority": priority(e, cfg),
            "reasons": reasons(e, cfg), "why": why,
            "evidence": json.dumps({**e.fingerprint(), "heuristic_scores": e.heuristics,
                                    "severe": sorted(e.severe)}, sort_keys=True)}


@dataclass
class RaiseReport:
    run_id: str
    as_of: int
    candidates: int = 0
    raised: int = 0
    updated: int = 0
    suppressed: int = 0
    stale: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    psi: float | None = None
    model: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["as_of_iso"] = datetime.fromtimestamp(self.as_of, UTC).isoformat()
        return d


def event_id(subject: str, action: str, at_ts: int) -> str:
    h = hashlib.sha256(f"{subject}\x00{action}\x00{at_ts}\x00{secrets.token_hex(4)}".encode())
    return f"evt_{h.hexdigest()[:24]}"


def raise_alerts(driver: Driver, database: str, cfg: AlertConfig | None = None, *,
                 as_of: int | None = None, run_id: str | None = None,
                 drift: Callable[[], tuple[float | None, str | None]] | None = None
                 ) -> RaiseReport:
    """One alert run over the graph's current signals, scores, risk and clusters.
    ``drift`` returns (PSI of the current scores against the training window, model
    version) to be kept on the run for monitoring."""
    cfg = cfg or AlertConfig()
    ensure_schema(driver, database)
    now = resolve_as_of(driver, database, as_of)
    rid = run_id or f"arun_{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}_{secrets.token_hex(3)}"
    rep = RaiseReport(run_id=rid, as_of=now)
    evidence = gather(driver, database, cfg, now)
    rep.candidates = len(evidence)
    prior = priors(driver, database, list(evidence))
    rows: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    for key, e in evidence.items():
        p = prior.get(key)
        d = decide(e, p, now, cfg)
        if d.action is Action.SUPPRESS:
            rep.suppressed += 1
            continue
        if d.action is Action.UPDATE:
            assert p is not None
            rows.append(_row(e, p.id, [], cfg))
            rep.updated += 1
        else:
            row = _row(e, alert_id(e.kind, e.entity_id, now, p.id if p else None), d.why, cfg)
            rows.append(row)
            new.append(row)
            rep.raised += 1
            rep.by_kind[e.kind] = rep.by_kind.get(e.kind, 0) + 1
    params = {"run_id": rid, "now_ts": now}
    write_batches(driver, database, q("upsert"), rows, batch_size=2000, params=params)
    for kind in LABELS:
        links = [{"id": r["id"], "entity_id": r["entity_id"]} for r in new if r["kind"] == kind]
        write_batches(driver, database, _labelled("link_entities", kind), links,
                      batch_size=2000)
    write_batches(driver, database, q("history"), (
        {"id": event_id(r["id"], "raised", now), "subject": r["id"], "at_ts": now,
         "by": "system", "action": "raised",
         "detail": json.dumps({"run": rid, "why": r["why"], "priority": r["priority"]})}
        for r in new), batch_size=2000)
    recs, _, _ = driver.execute_query(q("stale"), run_id=rid, database_=database)
    rep.stale = int(recs[0]["n"]) if recs else 0
    if drift is not None:
        rep.psi, rep.model = drift()
    driver.execute_query(q("run"), id=rid, as_of=now, started_at=datetime.now(UTC).isoformat(),
                         summary=json.dumps(rep.as_dict(), sort_keys=True), raised=rep.raised,
                         updated=rep.updated, suppressed=rep.suppressed, psi=rep.psi,
                         model=rep.model, database_=database)
    log.info("alert run %s: %d candidates, %d raised, %d updated, %d held by dismissals",
             rid, rep.candidates, rep.raised, rep.updated, rep.suppressed)
    return rep


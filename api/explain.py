"""Pure shaping of the graph facts about one entity into reasons and paths."""

from __future__ import annotations

import json
from typing import Any

from neo4j.time import Date, DateTime

from fraudgraph.vocabulary import NODE_KIND_OF

_SEVERITY = {"black": "critical", "grey": "medium"}


def kind_of(label: str | None) -> str:
    return NODE_KIND_OF.get(label or "", (label or "node").lower())


def plain(value: Any) -> Any:
    """Neo4j temporal values as ISO strings; everything else unchanged."""
    if isinstance(value, (DateTime, Date)):
        return value.iso_format()
    return value


def number(value: Any) -> float | None:
    """A stored score as a float, None when absent or not a finite number."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None


def _maybe_json(value: Any) -> Any:
    """Signal evidence is stored as a JSON string; hand it out as JSON."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _rel(rel_type: str | None, outgoing: bool | None) -> str:
    return f"-[:{rel_type}]->" if outgoing else f"<-[:{rel_type}]-"


def fact_reasons(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Reasons about the entity itself: list entries, incidents, heuristic signals."""
    reasons: list[dict[str, Any]] = []
    for le in sorted(facts.get("lists") or [], key=lambda x: (x.get("list") or "", x["id"])):
        lst = le.get("list") or "grey"
        reasons.append({
            "code": f"{lst.upper()}LISTED",
            "text": f"on the {lst} list (entry {le['id']}, source {le.get('source')}): "
                    f"{le.get('reason')}",
            "severity": _SEVERITY.get(lst, "medium"), "score": None,
            "evidence": {"entry": le["id"], "since_ts": le.get("since_ts"),
                         "until_ts": le.get("until_ts")}, "path": None})
    for inc in sorted(facts.get("incidents") or [], key=lambda x: (x["role"], x["incident"])):
        role = str(inc["role"]).lower()
        reasons.append({
            "code": f"INCIDENT_{role.upper()}",
            "text": f"{role} of incident {inc['incident']} ({inc.get('scheme')})",
            "severity": "info" if role == "victim" else "high", "score": None,
            "evidence": {"incident": inc["incident"], "reported_ts": inc.get("reported_ts"),
                         "amount_kzt": inc.get("amount")}, "path": None})
    signals = list(facts.get("signals") or [])
    if facts.get("latest_run") is None and signals:
        # No run is marked latest: keep the newest run's signals only.
        newest = max(str(s.get("run_id")) for s in signals)
        signals = [s for s in signals if str(s.get("run_id")) == newest]
    for s in sorted(signals, key=lambda x: -(x.get("score") or 0.0)):
        reasons.append({
            "code": f"HEURISTIC_{str(s.get('heuristic')).upper()}",
            "text": f"heuristic '{s.get('heuristic')}' fired in run {s.get('run_id')}",
            "severity": s.get("severity"), "score": s.get("score"),
            "evidence": _maybe_json(plain(s.get("evidence"))), "path": None})
    return reasons


def link_reasons(kind: str, entity_id: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reasons with paths: listed entities and incident beneficiaries within two hops."""
    reasons: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    for r in rows:
        nodes = [{"kind": kind, "id": entity_id}, {"kind": kind_of(r["k1"]), "id": r["id1"]}]
        rels = [_rel(r["t1"], r["out1"])]
        if r.get("id2") is not None:
            nodes.append({"kind": kind_of(r["k2"]), "id": r["id2"]})
            rels.append(_rel(r["t2"], r["out2"]))
        key = tuple(n["id"] for n in nodes)
        if key in seen:
            continue
        seen.add(key)
        target = nodes[-1]
        hops = len(rels)
        path = {"nodes": nodes, "rels": rels, "weight": None}
        for le in sorted(r.get("lists") or [], key=lambda x: (x.get("list") or "", x["id"])):
            lst = le.get("list") or "grey"
            reasons.append({
                "code": f"LINKED_TO_{lst.upper()}LISTED",
                "text": f"{hops} hop(s) from {target['kind']} {target['id']} on the {lst} "
                        f"list (entry {le['id']})",
                "severity": "high" if lst == "black" and hops == 1 else "medium",
                "score": None, "evidence": {"entry": le["id"]}, "path": path})
        for inc in r.get("incidents") or []:
            reasons.append({
                "code": "LINKED_TO_BENEFICIARY",
                "text": f"{hops} hop(s) from {target['kind']} {target['id']}, a beneficiary "
                        f"of incident {inc}",
                "severity": "high" if hops == 1 else "medium", "score": None,
                "evidence": {"incident": inc}, "path": path})
    return reasons


def merge_engine(engine_out: dict[str, Any] | None) -> tuple[list[Any], list[Any]]:
    """(paths, top_seeds) from an engine's explain(); tolerant of missing keys."""
    if not engine_out:
        return [], []
    return list(engine_out.get("paths") or []), list(engine_out.get("top_seeds") or [])

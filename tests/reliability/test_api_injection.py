"""Cypher-injection strings through every API path, query and body parameter and every
named-query parameter: never a 5xx, no effect on the graph beyond the legitimate one (a
free-text reason stored as data), and no ids in a response beyond those the same request
with a harmless unknown value returns."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from neo4j import Driver

from tests.api.conftest import Api, api, world  # noqa: F401  (module-scoped fixtures)
from tests.api.world import CHECK_AT, IBAN, PHONE
from tests.reliability.corpus import CYPHER_INJECTION, UNKNOWN_IBAN

INJ = [*CYPHER_INJECTION,
       "' OR 1=1 //",
       "acc_00000000000000000000000000000000' OR '1'='1",
       "acc_0000000000000000000000000000000}) MATCH (n) RETURN n //",
       "*/ MATCH (n) RETURN n /*",
       "$id",
       "HOLDS|TRANSFERRED]->() MATCH (n) DETACH DELETE n //",
       "\\u0027}) RETURN 1 //"]
BENIGN = "zzzunknown0"
_ID_SHAPED = re.compile(r"^(?:[a-z]{2,4}_[0-9a-f]{16,64}|[A-Za-z][\w.:-]{4,})$")
TRIED: dict[str, int] = {}


def snapshot(driver: Driver, db: str) -> dict[str, Any]:
    """The graph's shape, but for the audit trail: every request, refused or not, is
    rightly appended to it (api/audit.py)."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:AuditEvent AND NOT n:AuditHead "
        "UNWIND labels(n) AS l RETURN l, count(*) AS c", database_=db)
    rels, _, _ = driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c", database_=db)
    cons, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name", database_=db)
    return {"nodes": {r["l"]: r["c"] for r in nodes}, "rels": {r["t"]: r["c"] for r in rels},
            "constraints": sorted(r["name"] for r in cons)}


@pytest.fixture(scope="module")
def graph_ids(api: Api, neo4j_driver: Driver, settings: Any) -> set[str]:  # noqa: F811
    """Every id-like value in the graph that a leak would show (long enough to match
    as a substring without false positives)."""
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (n) WHERE n.id IS NOT NULL AND NOT n:AuditHead "
        "RETURN toString(n.id) AS id UNION "
        "MATCH ()-[r]->() WHERE r.tx_id IS NOT NULL RETURN r.tx_id AS id",
        database_=settings.neo4j_database)
    return {r["id"] for r in recs if len(r["id"]) >= 5 and _ID_SHAPED.match(r["id"])}


@pytest.fixture
def unchanged(api: Api, neo4j_driver: Driver, settings: Any) -> Iterator[None]:  # noqa: F811
    before = snapshot(neo4j_driver, settings.neo4j_database)
    yield
    assert snapshot(neo4j_driver, settings.neo4j_database) == before


def leaked(r: httpx.Response, ids: set[str]) -> set[str]:
    return {i for i in ids if i in r.text}


def probe(api: Api, ids: set[str], label: str, method: str,  # noqa: F811
          make: Any, who: str = "admin", benign: str = BENIGN) -> None:
    """`make(value)` -> (url, kwargs). Each injection string against the benign baseline
    (for a write, a baseline that is itself refused, so that nothing is written)."""
    url, kw = make(benign)
    base = api.call(method, url, who, **kw)
    assert base.status_code < 500, (label, base.status_code, base.text[:300])
    allowed = leaked(base, ids)
    for s in INJ:
        for value in (s, quote(s, safe="")) if "{v}" in label else (s,):
            url, kw = make(value)
            r = api.call(method, url, who, **kw)
            TRIED[label] = TRIED.get(label, 0) + 1
            assert r.status_code < 500, (label, s, r.status_code, r.text[:300])
            assert leaked(r, ids) <= allowed, (label, s, leaked(r, ids) - allowed)


def test_path_and_query_parameters(api: Api, graph_ids: set[str],  # noqa: F811
                                   unchanged: None) -> None:
    mule1 = api.pseudo("account", IBAN["mule1"])
    gets = {
        "risk kind {v}": lambda v: (f"/v1/entities/{v}/{mule1}/risk", {}),
        "risk entity_id {v}": lambda v: (f"/v1/entities/account/{v}/risk", {}),
        "risk person {v}": lambda v: (f"/v1/entities/person/{v}/risk", {}),
        "clusters scheme": lambda v: ("/v1/clusters", {"params": {"scheme": v}}),
        "clusters min_size": lambda v: ("/v1/clusters", {"params": {"min_size": v}}),
        "clusters sort": lambda v: ("/v1/clusters", {"params": {"sort": v}}),
        "clusters limit": lambda v: ("/v1/clusters", {"params": {"limit": v}}),
        "clusters offset": lambda v: ("/v1/clusters", {"params": {"offset": v}}),
        "cluster id {v}": lambda v: (f"/v1/clusters/{v}", {}),
        "cluster limit": lambda v: ("/v1/clusters/cl-1", {"params": {"limit": v}}),
        "emerging limit": lambda v: ("/v1/schemes/emerging", {"params": {"limit": v}}),
        "emerging min_score": lambda v: ("/v1/schemes/emerging", {"params": {"min_score": v}}),
        "trace incident_id {v}": lambda v: (f"/v1/incidents/{v}/trace", {}),
        "list name {v}": lambda v: (f"/v1/lists/{v}", {}),
        "list include_inactive": lambda v: ("/v1/lists/black",
                                            {"params": {"include_inactive": v}}),
        "list limit": lambda v: ("/v1/lists/black", {"params": {"limit": v}}),
        "list offset": lambda v: ("/v1/lists/black", {"params": {"offset": v}}),
    }
    for label, make in gets.items():
        probe(api, graph_ids, label, "GET", make)
    # Deletions aimed at nothing: an injected id or list name removes nothing.
    probe(api, graph_ids, "delete list entry {v}", "DELETE",
          lambda v: (f"/v1/lists/black/{v}", {"params": {"reason": "x"}}))
    probe(api, graph_ids, "delete list name {v}", "DELETE",
          lambda v: (f"/v1/lists/{v}/le-black-acc", {"params": {"reason": "x"}}))
    probe(api, graph_ids, "delete key {v}", "DELETE", lambda v: (f"/v1/keys/{v}", {}))
    # Any id-shaped header value is not a way in either.
    probe(api, graph_ids, "api key header", "GET",
          lambda v: ("/v1/clusters", {"headers": {"X-API-Key": v}}), who=None)  # type: ignore[arg-type]


def _body_probe(api: Api, ids: set[str], label: str, url: str,  # noqa: F811
                body: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    for name in body:
        if name in skip:
            continue
        probe(api, ids, f"{label} {name}", "POST",
              lambda v, n=name: (url, {"json": {**body, n: [v] if isinstance(body[n], list)
                                                else v}}))


def test_body_fields_of_check_incidents_keys(api: Api, graph_ids: set[str],  # noqa: F811
                                            unchanged: None) -> None:
    check = {"payer_account": IBAN["payer"], "payee_account": IBAN["payee"],
             "amount_kzt": 1000, "device_id": "dev-old", "phone": PHONE["payer"],
             "channel": "app", "interbank": True, "at": CHECK_AT}
    _body_probe(api, graph_ids, "check", "/v1/check", check)
    # The victim is a well-formed IBAN fraudgraph does not know: every field is validated
    # before that reference is, so each probe reaches its field and nothing is written.
    incident = {"incident_id": "inc-inj-1", "reported_at": "2026-03-12T10:00:00+05:00",
                "reporter": "AFC", "scheme": "other", "victim_iban": UNKNOWN_IBAN,
                "amount_kzt": 1000, "beneficiary_ibans": [IBAN["mule3"]],
                "caller_phone": PHONE["caller"], "occurred_at": "2026-03-11T10:00:00+05:00"}
    # incident_id stays legal in the baseline run of the other fields; it is probed alone.
    for name in incident:
        if name == "incident_id":
            continue

        def make(v: str, n: str = name) -> tuple[str, dict[str, Any]]:
            bad = {**incident, n: [v] if n == "beneficiary_ibans" else v}
            return "/v1/incidents", {"json": bad}
        # The baseline (BENIGN in a validated field) is itself a 422: nothing is written.
        probe(api, graph_ids, f"incident {name}", "POST", make)
    probe(api, graph_ids, "incident incident_id", "POST",
          lambda v: ("/v1/incidents", {"json": {**incident, "incident_id": v,
                                                "victim_iban": "not-an-iban"}}))
    probe(api, graph_ids, "incident beneficiary list", "POST",
          lambda v: ("/v1/incidents", {"json": {**incident,
                                                "beneficiary_ibans": [IBAN["mule3"], v]}}))
    probe(api, graph_ids, "key role", "POST",
          lambda v: ("/v1/keys", {"json": {"role": v, "bank": "KASPI"}}))
    probe(api, graph_ids, "key bank", "POST",
          lambda v: ("/v1/keys", {"json": {"role": "bank", "bank": v}}), benign="x")


def test_list_entry_fields(api: Api, graph_ids: set[str], neo4j_driver: Driver,  # noqa: F811
                           settings: Any) -> None:
    db = settings.neo4j_database
    before = snapshot(neo4j_driver, db)
    entry = {"entity_kind": "account", "entity_id": IBAN["mule1"], "reason": "r",
             "source": "AFC", "since": "2026-03-01T00:00:00+05:00",
             "until": "2027-03-01T00:00:00+05:00", "entry_id": "le-inj-base"}
    for name in ("entity_kind", "entity_id", "source", "since", "until", "entry_id"):
        # Baselines that are refused ("" is too short, "x" malformed): nothing written.
        probe(api, graph_ids, f"list add {name}", "POST",
              lambda v, n=name: ("/v1/lists/black", {"json": {**entry, n: v}}),
              benign="" if name in ("source", "entry_id") else "x")
    probe(api, graph_ids, "list add name {v}", "POST",
          lambda v: (f"/v1/lists/{v}", {"json": {**entry, "entry_id": "le-inj-x"}}))
    assert snapshot(neo4j_driver, db) == before  # every one of those was refused
    # A reason is free text: the injection string is stored as data, verbatim.
    added = []
    for i, s in enumerate(INJ):
        r = api.post("/v1/lists/grey", who="admin",
                     json={**entry, "reason": s, "entry_id": f"le-inj-{i}"})
        TRIED["list add reason (stored)"] = TRIED.get("list add reason (stored)", 0) + 1
        assert r.status_code == 201, r.text
        assert r.json()["reason"] == s
        added.append(f"le-inj-{i}")
        d = api.delete(f"/v1/lists/grey/le-inj-{i}", who="admin", params={"reason": s})
        TRIED["list remove reason (stored)"] = TRIED.get("list remove reason (stored)", 0) + 1
        assert d.status_code == 200, d.text
    after = snapshot(neo4j_driver, db)
    n = len(INJ)
    assert after["constraints"] == before["constraints"]
    assert after["nodes"] == {**before["nodes"],
                              "ListEntry": before["nodes"]["ListEntry"] + n}
    assert after["rels"] == {**before["rels"], "LISTS": before["rels"]["LISTS"] + n}
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (e:ListEntry) WHERE e.id STARTS WITH 'le-inj-' "
        "RETURN e.id AS id, e.reason AS reason, e.removed_reason AS removed", database_=db)
    stored = {r["id"]: (r["reason"], r["removed"]) for r in recs}
    assert stored == {f"le-inj-{i}": (s, s) for i, s in enumerate(INJ)}
    # The legitimate entries were not touched by any of it.
    r = api.get("/v1/lists/black")
    assert "le-black-acc" in {e["id"] for e in r.json()["items"]}


def test_named_query_parameters(api: Api, graph_ids: set[str],  # noqa: F811
                                unchanged: None) -> None:
    queries = api.get("/v1/queries").json()
    assert len(queries) >= 5
    mule1, mule2 = (api.pseudo("account", IBAN[k]) for k in ("mule1", "mule2"))
    valid: dict[str, Any] = {"id": mule1, "list[id]": [mule1, mule2], "int": 1, "ts": 1772000000,
             "bool": False, "list[str]": ["TRANSFERRED"]}
    for q in queries:
        base: dict[str, Any] = {}
        for p in q["params"]:
            if p["required"]:
                base[p["name"]] = valid[p["type"]] if p["name"] != "target" else mule2
        ok = api.post(f"/v1/queries/{q['name']}", who="admin", json={"params": base})
        assert ok.status_code == 200, (q["name"], ok.text)
        url = f"/v1/queries/{q['name']}"
        for p in q["params"]:
            name, typ = p["name"], p["type"]
            probe(api, graph_ids, f"query {q['name']}.{name}", "POST",
                  lambda v, n=name, u=url, b=base: (u, {"json": {"params": {**b, n: v}}}))
            if typ.startswith("list["):
                items: list[Any] = list(valid[typ])
                probe(api, graph_ids, f"query {q['name']}.{name}[]", "POST",
                      lambda v, n=name, u=url, b=base, it=items: (
                          u, {"json": {"params": {**b, n: [*it, v]}}}))
        probe(api, graph_ids, f"query {q['name']} param name", "POST",
              lambda v, u=url, b=base: (u, {"json": {"params": {**b, v: 1}}}))
    probe(api, graph_ids, "query name {v}", "POST",
          lambda v: (f"/v1/queries/{v}", {"json": {"params": {"id": mule1}}}))


def test_inputs_were_tried() -> None:
    # Guards against a probe table that silently shrank to nothing.
    logging.getLogger(__name__).info("injection inputs tried: %d %s", sum(TRIED.values()),
                                     TRIED)
    assert sum(TRIED.values()) >= 400, TRIED

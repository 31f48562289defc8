"""/health, /ready, /metrics, problem+json everywhere, 503 while Neo4j is away and
recovery without a restart, and the audit trail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from api.config import ApiConfig
from fraudgraph.settings import Settings
from tests.api.conftest import Api
from tests.api.proxy import Forwarder, free_port
from tests.api.world import CHECK_AT, IBAN


def test_health_ready_metrics(api: Api) -> None:
    assert api.get("/health", who=None).json() == {"status": "ok"}
    r = api.get("/ready", who=None)
    assert r.status_code == 200
    assert r.json() == {"status": "ready", "neo4j": "ok",
                        "model": {"name": "stored-properties", "loaded": True,
                                  "pending_seeds": len(api.engine.pending)}}
    api.post("/v1/check", json={"payer_account": IBAN["payer"],
                                "payee_account": IBAN["mule2"], "amount_kzt": 5,
                                "at": CHECK_AT})
    m = api.get("/metrics", who=None)
    assert m.status_code == 200 and m.headers["content-type"].startswith("text/plain")
    assert 'fraudgraph_api_check_decisions_total{decision="block"}' in m.text
    assert 'route="/v1/check"' in m.text
    assert "KZ" not in m.text  # labels are route templates, never raw path values


def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    r = api.get("/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    r = api.call("PUT", "/v1/check")
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"


def test_a_bug_becomes_a_logged_problem_500(settings: Settings, tmp_path: Path) -> None:
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/boom")
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert "bug" not in r.text


def _outage_settings(settings: Settings, port: int) -> Settings:
    password = settings.password_file.read_text().strip()
    return settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{port}",
                                       "neo4j_password": SecretStr(password)})


def test_503_with_retry_after_while_neo4j_is_unreachable(api: Api, settings: Settings,
                                                         tmp_path: Path) -> None:
    down = _outage_settings(settings, free_port())  # nothing listens there
    app = create_app(down, config=ApiConfig(audit_dir=tmp_path, retry_after_s=7))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/health").status_code == 200
        for method, url, body in (
            ("GET", "/ready", None), ("GET", "/v1/clusters", None),
            ("POST", "/v1/check", {"payer_account": IBAN["payer"],
                                   "payee_account": IBAN["payee"], "amount_kzt": 1}),
        ):
            r = client.request(method, url, json=body, headers=api.keys.h("analyst"))
            assert r.status_code == 503, (url, r.text)
            assert r.headers["retry-after"] == "7"
            assert r.headers["content-type"] == "application/problem+json"


def test_recovers_without_restart_when_neo4j_comes_back(api: Api, settings: Settings,
                                                        tmp_path: Path) -> None:
    port = free_port()
    fwd = Forwarder(port, settings.bolt_port)
    app = create_app(_outage_settings(settings, port), config=ApiConfig(audit_dir=tmp_path))
    h = api.keys.h("analyst")
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/ready", headers=h).status_code == 503
            fwd.start()
            assert client.get("/ready", headers=h).status_code == 200
            assert client.get("/v1/clusters", headers=h).status_code == 200
            fwd.stop()  # goes away again mid-life: pooled connections die
            assert client.get("/v1/lists/black", headers=h).status_code == 503
            fwd.start()
            assert client.get("/v1/lists/black", headers=h).status_code == 200
    finally:
        fwd.stop()


def test_audit_lines_for_every_request_without_raw_identifiers(api: Api) -> None:
    api.risk("account", IBAN["mule1"], who="kaspi")
    api.get("/v1/clusters", who="kaspi")  # forbidden
    api.get("/v1/clusters", who=None)  # unauthenticated
    api.client.app.state.audit.flush()  # type: ignore[attr-defined]
    files = sorted(api.audit_dir.glob("audit-*.jsonl"))
    assert files and all(f.name[6:16].count("-") == 2 for f in files)  # audit-YYYY-MM-DD
    events = [json.loads(x) for f in files for x in f.read_text().splitlines()]
    risk = [e for e in events if e["route"] == "/v1/entities/lookup"
            and e["bank"] == "KASPI"]
    assert risk and risk[-1]["status"] == 200 and risk[-1]["outcome"] == "ok"
    assert risk[-1]["detail"]["entity"] == api.pseudo("account", IBAN["mule1"])
    assert risk[-1]["role"] == "bank" and risk[-1]["key_id"].startswith("key_")
    outcomes = {(e["route"], e["status"], e["outcome"], e["role"]) for e in events}
    assert ("/v1/clusters", 403, "denied", "bank") in outcomes
    assert ("/v1/clusters", 401, "denied", None) in outcomes
    text = "\n".join(f.read_text() for f in files)
    assert IBAN["mule1"] not in text
    assert api.keys.kaspi not in text


def test_every_read_records_what_it_read_in_the_shared_trail(
        api: Api, neo4j_driver: Any, settings: Settings) -> None:
    from api.audit import verify

    api.risk("account", IBAN["mule1"], who="kaspi")
    api.get("/v1/clusters")
    api.get("/v1/clusters/cl-1")
    api.get("/v1/lists/grey")
    api.post("/v1/queries/timeline", json={"params": {"id": IBAN["mule2"]}})
    api.get("/v1/incidents/inc-1/trace", who="halyk")
    api.client.app.state.audit.flush()  # type: ignore[attr-defined]
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (e:AuditEvent) RETURN e.body AS body ORDER BY e.seq",
        database_=settings.neo4j_database)
    events = [json.loads(r["body"]) for r in recs]
    by_route: dict[str, dict[str, Any]] = {}
    for e in events:
        if e.get("detail"):
            by_route[e["route"]] = e["detail"]
    mule1, mule2 = api.pseudo("account", IBAN["mule1"]), api.pseudo("account", IBAN["mule2"])
    assert by_route["/v1/entities/lookup"]["entity"] == mule1
    assert mule2 in by_route["/v1/entities/lookup"]["evidence"]
    assert by_route["/v1/clusters"]["clusters"] and "query" in by_route["/v1/clusters"]
    assert by_route["/v1/clusters/{cluster_id}"]["cluster"] == "cl-1"
    assert by_route["/v1/lists/{list_name}"]["list"] == "grey"
    assert "le-grey-person" in by_route["/v1/lists/{list_name}"]["entries"]
    assert by_route["/v1/queries/{name}"]["params"]["id"] == mule2
    assert by_route["/v1/incidents/{incident_id}/trace"]["incident"] == "inc-1"
    text = "\n".join(r["body"] for r in recs)
    assert IBAN["mule1"] not in text and IBAN["mule2"] not in text
    assert verify(neo4j_driver, settings.neo4j_database).ok

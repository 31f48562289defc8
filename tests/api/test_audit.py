"""The audit trail: a hash chain in Neo4j that every API process appends to; `verify`
finds an edited, removed or inserted event; the optional local copy."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from api.audit import AuditLog, verify
from fraudgraph.settings import Settings
from tests.api.test_cli import cli, test_env  # noqa: F401  (fixture)


@pytest.fixture
def trail(neo4j_driver: Driver, settings: Settings) -> Driver:
    db = settings.neo4j_database
    neo4j_driver.execute_query("MATCH (n) WHERE n:AuditEvent OR n:AuditHead DETACH DELETE n",
                               database_=db)
    return neo4j_driver


def _log(driver: Driver, db: str, directory: Path | None = None) -> AuditLog:
    return AuditLog(lambda: (driver, db), directory, interval_s=0.05, owns_driver=False)


def _bodies(driver: Driver, db: str) -> list[dict[str, object]]:
    recs, _, _ = driver.execute_query("MATCH (e:AuditEvent) RETURN e.body AS b ORDER BY e.seq",
                                      database_=db)
    return [json.loads(r["b"]) for r in recs]


def test_two_processes_append_to_one_chain(trail: Driver, settings: Settings,
                                           tmp_path: Path) -> None:
    db = settings.neo4j_database
    logs = [_log(trail, db, tmp_path / "a"), _log(trail, db)]
    for log in logs:
        log.start()

    def burst(log: AuditLog, who: str) -> None:
        for i in range(300):
            log.record({"ts": f"2026-03-0{1 + i % 2}T10:00:00+00:00", "who": who, "n": i})

    threads = [threading.Thread(target=burst, args=(lg, w)) for lg, w in zip(logs, "ab",
                                                                             strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for log in logs:
        log.flush()
        log.close()
    report = verify(trail, db)
    assert report.ok, report.problems
    assert report.events == report.head_seq == 600
    seen = sorted((str(b["who"]), int(str(b["n"]))) for b in _bodies(trail, db))
    assert seen == sorted([(w, i) for w in "ab" for i in range(300)])
    # Process a also kept its local copy, one file per UTC day.
    lines = [json.loads(x) for p in sorted((tmp_path / "a").glob("audit-*.jsonl"))
             for x in p.read_text().splitlines()]
    assert sorted(x["n"] for x in lines) == list(range(300))
    assert logs[0].chained == logs[1].chained == 300


@pytest.mark.parametrize("tamper", [
    "MATCH (e:AuditEvent {seq: 3}) SET e.body = replace(e.body, 'KASPI', 'HALYK')",
    "MATCH (e:AuditEvent {seq: 3}) DETACH DELETE e",
    "MATCH (e:AuditEvent {seq: 5}) DETACH DELETE e "
    "WITH 1 AS _ MATCH (h:AuditHead) SET h.seq = 4",
    "CREATE (:AuditEvent {seq: 99, body: '{}', prev: 'x', hash: 'y'})",
])
def test_verify_finds_tampering(trail: Driver, settings: Settings, tamper: str) -> None:
    db = settings.neo4j_database
    log = _log(trail, db)
    log.start()
    for i in range(5):
        log.record({"ts": "2026-03-01T10:00:00+00:00", "bank": "KASPI", "n": i})
    log.close()
    assert verify(trail, db).ok
    trail.execute_query(tamper, database_=db)
    report = verify(trail, db)
    assert not report.ok and report.problems


def test_events_wait_while_neo4j_is_away(trail: Driver, settings: Settings) -> None:
    db = settings.neo4j_database
    up = threading.Event()

    def connect() -> tuple[Driver, str]:
        if not up.is_set():
            raise OSError("connection refused")
        return trail, db

    log = AuditLog(connect, interval_s=0.05, owns_driver=False)
    log.start()
    for i in range(10):
        log.record({"ts": "2026-03-01T10:00:00+00:00", "n": i})
    log.flush()
    assert log.chained == 0
    up.set()
    log.flush()
    log.close()
    assert [b["n"] for b in _bodies(trail, db)] == list(range(10))
    assert verify(trail, db).ok


@pytest.mark.usefixtures("test_env")
def test_cli_verify(trail: Driver, settings: Settings) -> None:
    db = settings.neo4j_database
    log = _log(trail, db)
    log.start()
    log.record({"ts": "2026-03-01T10:00:00+00:00", "n": 1})
    log.close()
    r = CliRunner().invoke(cli(), ["audit", "verify"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["ok"] is True
    trail.execute_query("MATCH (e:AuditEvent {seq: 1}) SET e.body = '{}'", database_=db)
    r = CliRunner().invoke(cli(), ["audit", "verify"])
    assert r.exit_code == 1 and json.loads(r.output)["problems"]

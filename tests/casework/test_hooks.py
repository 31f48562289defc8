"""Alerts raised by the runs themselves (casework.hooks), through the commands that call
the hook (`fraudgraph detect`, `propagate`), on the casework tests' small world loaded
through the real loader. (`score` needs a trained model: tests/gnn/pipeline covers it.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from neo4j import Driver
from typer.testing import CliRunner

from casework.alerts import BAND_RANK
from casework.errors import CaseworkError
from casework.hooks import alerts_after_run
from cli.detection import register as register_detection
from cli.propagation import register as register_propagation
from cypher import statement
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from tests.api.world import CHECK_AT, IBAN
from tests.casework.test_alert_store import NOW, world  # noqa: F401


@pytest.fixture
def cli(cli_env: None) -> typer.Typer:
    app = typer.Typer()
    register_detection(app)
    register_propagation(app)
    return app


def _detect(cli: typer.Typer, report: Path, *extra: str) -> dict[str, Any]:
    res = CliRunner().invoke(cli, ["detect", "--as-of", CHECK_AT, "--report", str(report),
                                   *extra])
    assert res.exit_code == 0, res.output
    rep: dict[str, Any] = json.loads(report.read_text())
    if rep["alerts"] is not None:
        a = rep["alerts"]
        assert f"alerts: {a['raised']} raised, {a['merged']} merged into open alerts" \
            in res.output
    return rep


def _alerts(driver: Driver, db: str) -> list[dict[str, Any]]:
    recs, _, _ = driver.execute_query(
        "MATCH (al:Alert) OPTIONAL MATCH (al)-[:ABOUT]->(n) "
        "RETURN properties(al) AS p, n.id AS about ORDER BY al.raised_ts, al.id",
        database_=db)
    return [{**r["p"], "about": r["about"]} for r in recs]


def _open_keys(alerts: list[dict[str, Any]]) -> list[str]:
    return sorted(a["entity_key"] for a in alerts if a["status"] in ("open", "in_case"))


def _flagged_by_run(driver: Driver, db: str, run_id: str) -> dict[str, set[str]]:
    """Per entity key, the heuristics of this detect run that qualify it on their own
    (casework.alerts.reasons: a high-severity heuristic, or two heuristics)."""
    recs, _, _ = driver.execute_query(
        "MATCH (s:Signal {run_id: $run})-[:FLAGS]->(n) "
        "WITH n, collect(DISTINCT s.heuristic) AS hs, "
        "     any(x IN collect(s.severity) WHERE x = 'high') AS severe "
        "WHERE severe OR size(hs) >= 2 "
        "RETURN CASE WHEN n:Account THEN 'account' WHEN n:Person THEN 'person' "
        "  WHEN n:Phone THEN 'phone' ELSE 'device' END + ':' + n.id AS key, hs",
        run=run_id, database_=db)
    return {r["key"]: set(r["hs"]) for r in recs}


def test_detect_raises_one_merged_alert_per_flagged_entity(
        cli: typer.Typer, world: Driver, db: str, pseudo: Pseudonymiser,  # noqa: F811
        tmp_path: Path) -> None:
    rep = _detect(cli, tmp_path / "d1.json")
    alerts = _alerts(world, db)
    keys = _open_keys(alerts)
    assert rep["alerts"]["raised"] == len(alerts) == len(keys) > 0
    assert rep["alerts"]["as_of"] == NOW  # dated at the detect run's as-of
    assert len(set(keys)) == len(keys), "one open alert per entity"
    assert all(a["about"] == a["entity_id"] for a in alerts), "linked to its entity"
    # Every entity this run's heuristics flag strongly enough is alerted, its alert
    # carrying those heuristics (merged with the entity's other evidence).
    flagged = _flagged_by_run(world, db, rep["run_id"])
    assert flagged, "the world's heuristics flag something"
    by_key = {a["entity_key"]: a for a in alerts}
    for key, hs in flagged.items():
        assert key in by_key and hs <= set(by_key[key]["heuristics"]), key
    # Evidence from the other sources is merged into the same queue: mule1 (band high,
    # model 0.8, cluster cl-1) and mule2 (critical) carry their risk and cluster.
    mule1 = by_key[f"account:{pseudo('account', IBAN['mule1'])}"]
    assert mule1["band"] == "high" and mule1["gnn_score"] == 0.8
    assert mule1["clusters"] == ["cl-1"] and "cluster:cl-1" in by_key
    assert by_key[f"account:{pseudo('account', IBAN['mule2'])}"]["band"] == "critical"

    # The same run again: every open alert is merged into, none duplicated.
    rep2 = _detect(cli, tmp_path / "d2.json")
    assert (rep2["alerts"]["raised"], rep2["alerts"]["merged"]) == (0, len(keys))
    assert _open_keys(_alerts(world, db)) == keys
    assert len(_alerts(world, db)) == len(alerts)


def test_dismissed_alert_is_not_reraised_while_evidence_is_unchanged(
        cli: typer.Typer, world: Driver, db: str, pseudo: Pseudonymiser,  # noqa: F811
        tmp_path: Path) -> None:
    _detect(cli, tmp_path / "d1.json")
    key = f"account:{pseudo('account', IBAN['mule1'])}"
    (target,) = [a for a in _alerts(world, db) if a["entity_key"] == key]
    world.execute_query(statement("alerts/dismiss"), id=target["id"], now_ts=NOW,
                        by="analyst", reason="known payroll account", database_=db)
    rep = _detect(cli, tmp_path / "d2.json")
    assert rep["alerts"]["raised"] == 0 and rep["alerts"]["suppressed"] == 1
    mine = [a for a in _alerts(world, db) if a["entity_key"] == key]
    assert [(a["id"], a["status"]) for a in mine] == [(target["id"], "dismissed")]
    # The hold is on the evidence, not the entity: a band rise re-raises it.
    world.execute_query("MATCH (a:Account {id: $id}) SET a.risk = 0.9, "
                        "a.risk_band = 'critical'", id=target["entity_id"], database_=db)
    rep = _detect(cli, tmp_path / "d3.json")
    assert rep["alerts"]["raised"] == 1
    mine = [a for a in _alerts(world, db) if a["entity_key"] == key]
    # Both at the same as-of: the new alert has an id of its own, the dismissed one is kept.
    assert sorted((a["status"], a["id"] == target["id"]) for a in mine) == [
        ("dismissed", True), ("open", False)]
    # The next run merges into the new open alert, not into the dismissed one.
    rep = _detect(cli, tmp_path / "d4.json")
    assert rep["alerts"]["raised"] == 0 and rep["alerts"]["suppressed"] == 0
    assert len([a for a in _alerts(world, db) if a["entity_key"] == key]) == 2


def test_no_alerts_raises_none(cli: typer.Typer, world: Driver, db: str,  # noqa: F811
                               tmp_path: Path) -> None:
    rep = _detect(cli, tmp_path / "d.json", "--no-alerts")
    assert rep["alerts"] is None and rep["outcomes"]
    res = CliRunner().invoke(cli, ["propagate", "--no-alerts", "--report",
                                   str(tmp_path / "p.json")])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "p.json").read_text())["alerts"] is None
    recs, _, _ = world.execute_query(
        "OPTIONAL MATCH (al:Alert) WITH count(al) AS alerts "
        "OPTIONAL MATCH (r:AlertRun) RETURN alerts, count(r) AS runs", database_=db)
    assert (recs[0]["alerts"], recs[0]["runs"]) == (0, 0)


def test_propagate_raises_alerts_on_the_risk_it_wrote(
        cli: typer.Typer, world: Driver, db: str, tmp_path: Path) -> None:  # noqa: F811
    report = tmp_path / "p.json"
    res = CliRunner().invoke(cli, ["propagate", "--report", str(report)])
    assert res.exit_code == 0, res.output
    block = json.loads(report.read_text())["alerts"]
    alerts = _alerts(world, db)
    assert block["raised"] == len(alerts) > 0 and block["merged"] == 0
    # Every entity the propagation put in band high or above is in the queue.
    recs, _, _ = world.execute_query(
        "MATCH (n) WHERE n.risk_band IN $bands AND (n:Account OR n:Person OR n:Phone "
        "OR n:Device) RETURN toLower(labels(n)[0]) + ':' + n.id AS key",
        bands=[b for b, r in BAND_RANK.items() if r >= BAND_RANK["high"]], database_=db)
    banded = {r["key"] for r in recs}
    assert banded and banded <= set(_open_keys(alerts))
    res = CliRunner().invoke(cli, ["propagate", "--report", str(report)])
    assert res.exit_code == 0, res.output
    assert json.loads(report.read_text())["alerts"]["raised"] == 0
    assert len(_alerts(world, db)) == len(alerts)


def test_hook_names_its_trigger(world: Driver, db: str,  # noqa: F811
                                settings: Settings) -> None:
    with pytest.raises(CaseworkError, match="unknown alert trigger"):
        alerts_after_run(world, db, settings, "clusters")
    rep = alerts_after_run(world, db, settings, "score", as_of=NOW)
    assert rep.raised > 0 and rep.as_of == NOW

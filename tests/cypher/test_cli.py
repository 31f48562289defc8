"""The CLI against the test server: raw ids are pseudonymised, detect prints and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from neo4j import Driver
from typer.testing import CliRunner

from cli.detection import register
from fraudgraph.pseudonym import Pseudonymiser
from tests.cypher.conftest import AS_OF, DAY, Builder

IBAN_A = "KZ86125KZT5004100100"
IBAN_B = "KZ75125KZT2069100100"


@pytest.fixture
def cli(cli_env: None) -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_query_pseudonymises_raw_ids(cli: typer.Typer, graph: Driver, db: str,
                                     pseudo: Pseudonymiser, tmp_path: Path) -> None:
    a, b = pseudo("account", IBAN_A), pseudo("account", IBAN_B)
    g = Builder()
    g.account(a, "per_1")
    g.account(b, "per_2")
    g.transfer(a, b, 5000, AS_OF - DAY, tx_id="tx_1")
    g.commit(graph, db)
    out = tmp_path / "q.json"
    res = CliRunner().invoke(cli, ["query", "timeline", "--param", f"id={IBAN_A}",
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["params"]["id"] == a
    assert [(r["event"], r["other"]) for r in data["rows"] if r["ref"] == "tx_1"] == [
        ("transfer_out", b)]
    bad = CliRunner().invoke(cli, ["query", "neighbourhood", "--param", f"id={IBAN_A}",
                                   "--param", "hops=9"])
    assert bad.exit_code != 0 and "above the maximum" in str(bad.exception)


def test_detect_prints_summary_and_writes_report(cli: typer.Typer, graph: Driver, db: str,
                                                 tmp_path: Path) -> None:
    g = Builder()
    g.device("dev_x", ts=AS_OF - 20 * DAY)
    g.account("acc_a", "per_1")
    g.account("acc_b", "per_2")
    g.login("acc_a", "dev_x", AS_OF - 2 * DAY)
    g.login("acc_b", "dev_x", AS_OF - DAY)
    g.commit(graph, db)
    report = tmp_path / "detect.json"
    res = CliRunner().invoke(cli, ["detect", "--report", str(report), "--as-of",
                                   "2026-06-07T20:26:40Z", "--only", "shared_device",
                                   "--param", "shared_device.max_accounts=5"])
    assert res.exit_code == 0, res.output
    assert "shared_device" in res.output
    rep = json.loads(report.read_text())
    assert rep["as_of"] == AS_OF and rep["outcomes"][0]["hits"] == 2
    assert rep["params"]["shared_device"]["max_accounts"] == 5

"""`fraudgraph alerts raise|list` and `fraudgraph monitor` against the test server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from neo4j import Driver
from typer.testing import CliRunner

from cli.casework import register
from tests.casework.test_alert_store import NOW, world  # noqa: F401


@pytest.fixture
def cli(cli_env: None) -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_raise_list_monitor(cli: typer.Typer, world: Driver, db: str,  # noqa: F811
                            tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["alerts", "raise", "--as-of", "2026-03-10T10:00:00+05:00",
                                   "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["raised"] == 4 and rep["as_of"] == NOW
    report = tmp_path / "alerts.json"
    res = CliRunner().invoke(cli, ["alerts", "raise", "--as-of", "2026-03-11T10:00:00+05:00",
                                   "--report", str(report)])
    assert res.exit_code == 0 and "0 raised, 4 updated" in res.output
    assert json.loads(report.read_text())["updated"] == 4  # what the demo summary shows
    res = CliRunner().invoke(cli, ["alerts", "list", "--limit", "2"])
    lines = res.output.strip().splitlines()
    assert res.exit_code == 0 and len(lines) == 2 and all("alr_" in ln for ln in lines)
    res = CliRunner().invoke(cli, ["monitor", "--json"])
    assert res.exit_code == 0, res.output
    mon = json.loads(res.output)
    assert sum(w["alerts_raised"] for w in mon["weeks"]) == 4
    assert mon["lead_time"]["reported_accounts"] == 1
    res = CliRunner().invoke(cli, ["monitor"])
    assert res.exit_code == 0 and "week" in res.output
    assert CliRunner().invoke(cli, ["alerts", "raise", "--min-band", "severe"]).exit_code != 0

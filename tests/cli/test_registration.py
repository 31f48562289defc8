"""The CLI room's registration: no server needed."""

from __future__ import annotations

import typer
from typer.testing import CliRunner


def test_register_shares_an_existing_eval_group() -> None:

    from cli.detection import register

    app = typer.Typer()
    other = typer.Typer()
    other.command("models")(lambda: None)
    app.add_typer(other, name="eval")
    register(app)
    evals = [g for g in app.registered_groups if g.name == "eval"]
    assert len(evals) == 1
    assert {c.name for c in other.registered_commands} == {"models", "heuristics"}
    assert {c.name for c in app.registered_commands} >= {"detect", "query", "heuristics"}


def test_main_app_registers_every_command_group() -> None:
    from cli.main import _register_packages, app

    _register_packages()
    groups = {g.name for g in app.registered_groups}
    commands = {c.name for c in app.registered_commands}
    assert groups >= {"neo4j", "schema", "adapt", "eval", "keys", "alerts"}
    assert commands >= {"reset", "generate", "load", "detect", "query", "heuristics", "train",
                        "score", "clusters", "propagate", "serve", "demo", "monitor"}
    res = CliRunner().invoke(app, ["eval", "--help"])
    assert res.exit_code == 0 and "heuristics" in res.output and "models" in res.output


def test_runs_that_raise_alerts_take_no_alerts() -> None:
    from cli.main import _register_packages, app

    _register_packages()
    runner = CliRunner()
    for command in ("detect", "score", "propagate"):
        res = runner.invoke(app, [command, "--help"])
        assert res.exit_code == 0 and "--no-alerts" in res.output, command
    res = runner.invoke(app, ["alerts", "--help"])  # cli/casework.py, registered by main
    assert res.exit_code == 0 and "raise" in res.output and "list" in res.output

"""What the command modules share: the settings each command reads, the `--no-alerts`
option of the runs that raise alerts, and the `eval` group that two modules add to. Kept
apart from cli.main so the command modules never import the module that imports them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from fraudgraph.settings import Settings, load_settings

# detect, score and propagate raise alerts after a successful run (casework.hooks).
NoAlerts = Annotated[bool, typer.Option(
    "--no-alerts", help="raise no alerts after the run (default: raise them)")]


def settings() -> Settings:
    return load_settings()


def echo(msg: str) -> None:
    typer.echo(msg)


def write_json(path: Path, obj: Any) -> None:
    """A command's --json / --report file; numpy scalars are written as numbers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, default=float))


def eval_group(app: typer.Typer) -> typer.Typer:
    """The shared `fraudgraph eval` group: found if another module made it, else created."""
    for info in app.registered_groups:
        if info.name == "eval" and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(no_args_is_help=True, help="Evaluate detectors against ground truth")
    app.add_typer(group, name="eval")
    return group

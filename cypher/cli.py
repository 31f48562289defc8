"""CLI commands of the cypher package."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    del app

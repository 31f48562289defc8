"""`fraudgraph demo`: the main job end to end on the project-managed Neo4j."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    accounts: Annotated[int, typer.Option(help="size of the generated world")] = 20_000,
    seed: Annotated[int, typer.Option()] = 7,
) -> None:
    """Start Neo4j, generate a world, load it, and write var/demo/summary.json."""
    from fraudgraph.cli import settings
    from fraudgraph.db import open_driver
    from fraudgraph.neo4j_server import Neo4jServer
    from fraudgraph.pseudonym import Pseudonymiser
    from fraudgraph.schema import apply_schema, reset_data
    from graph_loader.generate.world import generate_world
    from graph_loader.load import load_directory

    s = settings()
    if s.managed:
        _, msg = Neo4jServer(s).start()
        log.info(msg)
    world = s.var_dir / "worlds" / f"demo-{accounts}-s{seed}"
    if not (world / "truth" / "manifest.json").exists():
        generate_world(world, accounts=accounts, seed=seed)
    out = s.var_dir / "demo"
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, object] = {"world": str(world)}
    with open_driver(s) as driver:
        reset_data(driver, s.neo4j_database)
        apply_schema(driver, s.neo4j_database)
        rep = load_directory(driver, s.neo4j_database, world,
                             Pseudonymiser(s.pseudonym_key.get_secret_value()),
                             rejects_path=out / "rejects.csv")
        (out / "load-report.json").write_text(json.dumps(rep.as_dict(), indent=2))
        summary["load"] = {"read": rep.read, "loaded": rep.loaded, "rejected": rep.rejected,
                           "seconds": rep.seconds, "nodes": rep.graph_nodes,
                           "relationships": rep.graph_relationships}
    path = Path(out / "summary.json")
    path.write_text(json.dumps(summary, indent=2))
    typer.echo(f"demo done: {path}")

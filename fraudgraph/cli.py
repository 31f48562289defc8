"""The `fraudgraph` command. Each package registers its own commands; heavy imports
happen inside the commands, so `fraudgraph --help` stays instant."""

from __future__ import annotations

import json
import logging
import sys
from typing import Annotated

import typer

from fraudgraph.errors import FraudgraphError
from fraudgraph.settings import Settings, load_settings

app = typer.Typer(no_args_is_help=True, help="fraudgraph: fraud rings and mule networks in Neo4j")
neo4j_app = typer.Typer(no_args_is_help=True, help="The project-managed Neo4j server")
schema_app = typer.Typer(no_args_is_help=True, help="Graph schema")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(schema_app, name="schema")

log = logging.getLogger("fraudgraph")


def settings() -> Settings:
    return load_settings()


def echo(msg: str) -> None:
    typer.echo(msg)


@neo4j_app.command("build")
def neo4j_build() -> None:
    """Resolve Neo4j Community and APOC from Maven Central into var/dist."""
    from fraudgraph.neo4j_server import Neo4jServer

    echo(json.dumps(Neo4jServer(settings()).build(), indent=2))


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local Neo4j (a no-op if it already runs) and print its URI."""
    from fraudgraph.neo4j_server import Neo4jServer

    s = settings()
    if not s.managed:
        echo(f"NEO4J_URI is set ({s.neo4j_uri}); fraudgraph starts no server of its own")
        return
    _started, msg = Neo4jServer(s).start()
    echo(msg)
    echo(s.local_uri)


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly."""
    from fraudgraph.neo4j_server import Neo4jServer

    echo(Neo4jServer(settings()).stop())


@neo4j_app.command("status")
def neo4j_status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Running or stopped; URI, user, password file and kernel version."""
    from fraudgraph.neo4j_server import Neo4jServer

    st = Neo4jServer(settings()).status()
    if as_json:
        echo(json.dumps(st.as_dict()))
        return
    if not st.running:
        echo("stopped")
        return
    echo(
        f"running (pid {st.pid})\n  uri: {st.uri}\n  user: {st.user}\n"
        f"  password file: {st.password_file}\n  version: {st.version}"
    )


@schema_app.command("apply")
def schema_apply() -> None:
    """Create constraints and indexes (idempotent) and record the schema version."""
    from fraudgraph.db import open_driver
    from fraudgraph.schema import SCHEMA_VERSION, apply_schema

    s = settings()
    with open_driver(s) as driver:
        n = apply_schema(driver, s.neo4j_database)
    echo(f"schema v{SCHEMA_VERSION}: {n} constraints and indexes in place")


@app.command("reset")
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="really delete all data")] = False,
) -> None:
    """Delete all data; keep the schema."""
    from fraudgraph.db import open_driver
    from fraudgraph.schema import apply_schema, reset_data

    if not yes:
        raise typer.BadParameter("refusing to delete everything without --yes")
    s = settings()
    with open_driver(s) as driver:
        n = reset_data(driver, s.neo4j_database)
        apply_schema(driver, s.neo4j_database)
    echo(f"deleted {n} nodes; schema kept")


def eval_group(app: typer.Typer) -> typer.Typer:
    """The shared `fraudgraph eval` group: found if another package made it, else created."""
    for info in app.registered_groups:
        if info.name == "eval" and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(no_args_is_help=True, help="Evaluate detectors against ground truth")
    app.add_typer(group, name="eval")
    return group


def _register_packages() -> None:
    # Each package owns its commands; registration only defines them (no heavy imports).
    from api.cli import register as register_api
    from casework.cli import register as register_casework
    from cypher.cli import register as register_cypher
    from fraudgraph.demo import register as register_demo
    from gnn.cli import register as register_gnn
    from gnn.risk_cli import register as register_risk
    from graph_loader.cli import register as register_loader

    for register in (
        register_loader, register_cypher, register_gnn, register_risk, register_api,
        register_demo, register_casework,
    ):
        register(app)


def main() -> None:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    _register_packages()
    try:
        app()
    except FraudgraphError as e:
        log.error("%s", e)
        sys.exit(2)

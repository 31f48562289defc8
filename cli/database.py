"""`fraudgraph neo4j ...`, `fraudgraph schema apply` and `fraudgraph reset`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.common import echo, settings

neo4j_app = typer.Typer(no_args_is_help=True, help="The project-managed Neo4j server")
schema_app = typer.Typer(no_args_is_help=True, help="Graph schema")


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")
    app.add_typer(schema_app, name="schema")
    app.command("reset")(reset)


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
    from cypher.graph_schema import SCHEMA_VERSION, apply_schema
    from fraudgraph.db import open_driver

    s = settings()
    with open_driver(s) as driver:
        n = apply_schema(driver, s.neo4j_database)
    echo(f"schema v{SCHEMA_VERSION}: {n} constraints and indexes in place")


def reset(
    yes: Annotated[bool, typer.Option("--yes", help="really delete all data")] = False,
) -> None:
    """Delete all data; keep the schema."""
    from cypher.graph_schema import apply_schema, reset_data
    from fraudgraph.db import open_driver

    if not yes:
        raise typer.BadParameter("refusing to delete everything without --yes")
    s = settings()
    with open_driver(s) as driver:
        n = reset_data(driver, s.neo4j_database)
        apply_schema(driver, s.neo4j_database)
    echo(f"deleted {n} nodes; schema kept")



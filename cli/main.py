"""The `fraudgraph` command: the app, and one module per command group registered on it.
Heavy imports happen inside the commands, so `fraudgraph --help` stays instant."""

from __future__ import annotations

import logging
import sys

import typer

from fraudgraph.errors import FraudgraphError

app = typer.Typer(no_args_is_help=True, help="fraudgraph: fraud rings and mule networks in Neo4j")

log = logging.getLogger("fraudgraph")


def _register_packages() -> None:
    # Registration only defines the commands (no heavy imports); the order is --help's.
    from cli.casework import register as register_casework
    from cli.database import register as register_database
    from cli.demo import register as register_demo
    from cli.detection import register as register_detection
    from cli.loader import register as register_loader
    from cli.models import register as register_models
    from cli.propagation import register as register_propagation
    from cli.service import register as register_service
    from cli.stream import register as register_stream

    for register in (
        register_database, register_loader, register_stream, register_detection, register_models,
        register_propagation, register_service, register_demo, register_casework,
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

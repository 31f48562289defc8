"""`fraudgraph kafka ...` (the project-managed broker), `fraudgraph stream` (consume the
feed topics into Neo4j) and `fraudgraph produce DIR` (publish feed files to the topics)."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Annotated

import typer

from cli.common import echo, settings

kafka_app = typer.Typer(no_args_is_help=True, help="The project-managed Kafka broker")


def register(app: typer.Typer) -> None:
    app.add_typer(kafka_app, name="kafka")
    app.command("stream")(stream)
    app.command("produce")(produce)


@kafka_app.command("build")
def kafka_build() -> None:
    """Resolve Apache Kafka from Maven Central into var/kafka-dist."""
    from fraudgraph.kafka_server import KafkaServer

    echo(json.dumps(KafkaServer(settings()).build(), indent=2))


@kafka_app.command("start")
def kafka_start() -> None:
    """Start the local broker (a no-op if it already runs) and print its address."""
    from fraudgraph.kafka_server import KafkaServer

    s = settings()
    if not s.kafka_managed:
        echo(f"KAFKA_BOOTSTRAP_SERVERS is set ({s.kafka_bootstrap_servers}); "
             "fraudgraph starts no broker of its own")
        return
    _started, msg = KafkaServer(s).start()
    echo(msg)
    echo(s.kafka_bootstrap)


@kafka_app.command("stop")
def kafka_stop() -> None:
    """Stop the local broker cleanly."""
    from fraudgraph.kafka_server import KafkaServer

    echo(KafkaServer(settings()).stop())


@kafka_app.command("status")
def kafka_status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Running or stopped; bootstrap address, version and number of topics."""
    from fraudgraph.kafka_server import KafkaServer

    st = KafkaServer(settings()).status()
    if as_json:
        echo(json.dumps(st.as_dict()))
        return
    if not st.running:
        echo("stopped")
        return
    echo(f"running (pid {st.pid})\n  bootstrap: {st.bootstrap}\n  version: {st.version}\n"
         f"  topics: {st.topics}")


def stream(
    group: Annotated[str | None, typer.Option(help="consumer group (default: setting)")] = None,
    batch_size: Annotated[int | None, typer.Option(
        help="most events per graph transaction (default: setting)")] = None,
    metrics_port: Annotated[int | None, typer.Option(
        help="port of /metrics (0: none; default: FRAUDGRAPH_STREAM_METRICS_PORT)")] = None,
    idle_exit: Annotated[float | None, typer.Option(
        help="exit once caught up and idle this many seconds (default: run until stopped)")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="JSON report of the run")] = None,
) -> None:
    """Consume the feed topics into Neo4j: validated and pseudonymised as `load` does,
    each event exactly once (offsets stored with the graph write), rejected events to the
    dead-letter topic. SIGTERM or Ctrl-C stops it after the batch in flight."""
    from cli.common import write_json
    from cypher.graph_schema import apply_schema
    from fraudgraph.db import open_driver
    from fraudgraph.pseudonym import Pseudonymiser
    from graph_loader.stream import StreamConsumer
    from graph_loader.topics import ensure_topics

    s = settings()
    ensure_topics(s)
    with open_driver(s) as driver:
        apply_schema(driver, s.neo4j_database)
        consumer = StreamConsumer(s, driver, Pseudonymiser(s.pseudonym_key.get_secret_value()),
                                  group=group, batch_size=batch_size,
                                  metrics_port=metrics_port)

        def _stop(_sig: int, _frame: object) -> None:
            consumer.stop_event.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        stats = consumer.run(idle_exit_s=idle_exit)
    if report is not None:
        write_json(report, stats.as_dict())
    echo(json.dumps(stats.as_dict()))


def produce(
    directory: Annotated[Path, typer.Argument(help="directory of feed files")],
    feed: Annotated[list[str] | None, typer.Option(
        help="only this feed (repeatable; default: every feed file found)")] = None,
) -> None:
    """Publish feed files to their Kafka topics (fraudgraph.<feed>), one JSON event per row."""
    from graph_loader.topics import produce_directory

    counts = produce_directory(settings(), directory, feeds=feed)
    echo(json.dumps(counts))

"""`fraudgraph propagate`: full risk propagation and write-back."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from cli.common import NoAlerts, settings, write_json


def register(app: typer.Typer) -> None:
    app.command("propagate")(propagate)


def propagate(
    report: Annotated[str | None, typer.Option(help="JSON summary path")] = None,
    no_alerts: NoAlerts = False,
) -> None:
    """Recompute risk for every entity from incidents and lists, and write it back.

    Then raises alerts: one per entity, merged with its other evidence."""
    from casework.hooks import alerts_after_run
    from casework.hooks import summary as alert_summary
    from cypher import statement
    from fraudgraph.db import open_driver
    from gnn.propagation.engine import PropagationEngine

    s = settings()
    t0 = time.monotonic()
    with open_driver(s) as driver:
        engine = PropagationEngine.build(driver, s.neo4j_database,
                                         cache_dir=s.var_dir / "cache", progress=True,
                                         models_root=s.var_dir / "models")
        built = time.monotonic() - t0
        written = engine.write_back()
        recs, _, _ = driver.execute_query(
            statement("risk/band_counts"), database_=s.neo4j_database, routing_="r")
        seconds = round(time.monotonic() - t0, 2)
        raised = None if no_alerts else alerts_after_run(driver, s.neo4j_database, s,
                                                          "propagate")
    # seconds_total stays the propagation's own time; the alert run reports its counts.
    summary = {"entities_written": written, "seconds_build": round(built, 2),
               "seconds_total": seconds, "bands": [dict(r) for r in recs], **engine.info(),
               "alerts": alert_summary(raised)}
    typer.echo(json.dumps(summary, indent=2))
    if report:
        write_json(Path(report), summary)

"""`fraudgraph propagate`: full risk propagation and write-back."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("propagate")(propagate)


def propagate(
    report: Annotated[str | None, typer.Option(help="JSON summary path")] = None,
) -> None:
    """Recompute risk for every entity from incidents and lists, and write it back."""
    from cli.common import settings
    from fraudgraph.db import open_driver
    from gnn.risk_engine import PropagationEngine

    s = settings()
    t0 = time.monotonic()
    with open_driver(s) as driver:
        engine = PropagationEngine.build(driver, s.neo4j_database,
                                         cache_dir=s.var_dir / "cache", progress=True,
                                         models_root=s.var_dir / "models")
        built = time.monotonic() - t0
        written = engine.write_back()
        recs, _, _ = driver.execute_query(
            "MATCH (n) WHERE n.risk_band IS NOT NULL RETURN labels(n)[0] AS label, "
            "n.risk_band AS band, count(*) AS c ORDER BY label, band",
            database_=s.neo4j_database, routing_="r")
    summary = {"entities_written": written, "seconds_build": round(built, 2),
               "seconds_total": round(time.monotonic() - t0, 2),
               "bands": [dict(r) for r in recs], **engine.info()}
    typer.echo(json.dumps(summary, indent=2))
    if report:
        with open(report, "w") as fh:
            json.dump(summary, fh, indent=2)

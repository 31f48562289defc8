"""CLI commands of the casework package: `fraudgraph alerts raise|list` and `fraudgraph
monitor`. (detect, score and propagate raise alerts themselves, through casework.hooks;
`alerts raise` is the run on its own, with other thresholds or after `clusters`.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.common import settings, write_json


def register(app: typer.Typer) -> None:
    alerts = typer.Typer(no_args_is_help=True, help="The investigators' alert queue")
    alerts.command("raise")(raise_cmd)
    alerts.command("list")(list_cmd)
    app.add_typer(alerts, name="alerts")
    app.command("monitor")(monitor)


def raise_cmd(
    as_of: Annotated[str | None, typer.Option(
        help="ISO time of the run (default: the newest transfer)")] = None,
    min_band: Annotated[str, typer.Option(help="lowest risk band alerted")] = "high",
    gnn_min: Annotated[float, typer.Option(help="lowest GNN score alerted")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    report: Annotated[str | None, typer.Option(help="JSON summary path")] = None,
) -> None:
    """Raise alerts from the latest detect run, GNN scores, risk bands and clusters: one
    open alert per entity, held back by dismissals until the evidence changes."""
    from casework.alert_store import raise_alerts
    from casework.alerts import AlertConfig
    from casework.monitor_store import score_drift
    from cypher.params import parse_ts
    from fraudgraph.db import open_driver

    s = settings()
    cfg = AlertConfig(min_band=min_band, gnn_min=gnn_min)
    with open_driver(s) as driver:
        rep = raise_alerts(driver, s.neo4j_database, cfg,
                           as_of=parse_ts(as_of) if as_of else None,
                           drift=lambda: score_drift(driver, s.neo4j_database,
                                                     s.var_dir / "models"))
    d = rep.as_dict()
    if report:
        write_json(Path(report), d)
    if as_json:
        typer.echo(json.dumps(d, indent=2))
        return
    typer.echo(f"alert run {d['run_id']} as of {d['as_of_iso']}: {d['raised']} raised, "
               f"{d['updated']} updated, {d['suppressed']} held by dismissals, "
               f"{d['stale']} open alerts no longer flagged; score PSI {d['psi']}")


def list_cmd(
    status: Annotated[str, typer.Option(help="open, in_case, dismissed, closed")] = "open",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """The queue, highest priority first (pseudonyms only)."""
    from neo4j import RoutingControl

    from cypher import statement
    from fraudgraph.db import open_driver

    s = settings()
    with open_driver(s) as driver:
        recs, _, _ = driver.execute_query(
            statement("alerts/list"), status=status, limit=limit, database_=s.neo4j_database,
            routing_=RoutingControl.READ)
    for r in recs:
        typer.echo(f"{r['priority']:6.1f}  {r['id']}  {r['kind']}:{r['entity']}  "
                   f"{r['band'] or '-'}  {','.join(r['banks'] or [])}  "
                   f"{'; '.join(r['reasons'] or [])}")


def monitor(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="weeks back")] = 12,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Per week: alerts raised and closed, verdict mix and precision, score drift (PSI
    against the model's evaluation window), incidents alerted before their report."""
    from casework.monitor_store import report
    from fraudgraph.db import open_driver

    s = settings()
    with open_driver(s) as driver:
        rep = report(driver, s.neo4j_database, weeks=weeks)
    if as_json:
        typer.echo(json.dumps(rep, indent=2))
        return
    typer.echo("week        raised closed  conf  notf  dism  prec   psi    incid  alerted  lead_d")
    for w in rep["weeks"]:
        v = w["verdicts"]
        typer.echo(f"{w['week']}  {w['alerts_raised']:6d} {w['alerts_closed']:6d} "
                   f"{v['confirmed_fraud']:5d} {v['not_fraud']:5d} {v['dismissed']:5d}  "
                   f"{_f(w['precision'])}  {_f(w['psi'])}  {w['incidents']:5d}  "
                   f"{_f(w['alerted_share'])}  {_f(w['median_lead_days'])}")
    lt = rep["lead_time"]
    typer.echo(f"reported accounts {lt['reported_accounts']}, alerted before their report "
               f"{lt['alerted_before']}, median lead {lt['median_lead_days']} days; "
               f"model {rep['model']}")


def _f(v: float | None) -> str:
    return "   -  " if v is None else f"{v:6.3f}"

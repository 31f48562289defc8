"""CLI commands of the cypher package: detect, query, heuristics, eval heuristics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.common import NoAlerts, eval_group, write_json


def register(app: typer.Typer) -> None:
    app.command("detect")(detect)
    app.command("query")(query)
    app.command("heuristics")(heuristics)
    eval_app = eval_group(app)
    eval_app.command("heuristics")(eval_heuristics)




def _params(texts: list[str] | None) -> dict[str, str]:
    from cypher.errors import ParameterError

    out: dict[str, str] = {}
    for text in texts or []:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--param {text!r}: expected name=value")
        out[key.strip()] = value
    return out


def detect(
    report: Annotated[Path | None, typer.Option(help="write the run report (JSON) here")] = None,
    as_of: Annotated[str | None, typer.Option(
        help="ISO time the run looks back from (default: the newest transfer)")] = None,
    window_days: Annotated[float, typer.Option(
        help="look-back window in days (0: the whole of the data)")] = 30.0,
    param: Annotated[list[str] | None, typer.Option(
        help="heuristic.name=value override (repeatable)")] = None,
    run_id: Annotated[str | None, typer.Option(
        help="re-run this run id (replaces its signals)")] = None,
    only: Annotated[list[str] | None, typer.Option(help="run only these heuristics")] = None,
    no_alerts: NoAlerts = False,
) -> None:
    """Run every Cypher heuristic and write one Signal per flagged entity.

    Then raises alerts: one per entity, merged with its other evidence."""
    from rich.console import Console
    from rich.table import Table

    from casework.hooks import alerts_after_run, describe, summary
    from cli.common import settings
    from cypher.detect import DAY_S
    from cypher.detect import detect as run_detect
    from cypher.heuristics import parse_overrides
    from cypher.params import parse_ts
    from fraudgraph.db import open_driver

    s = settings()
    when = parse_ts(as_of) if as_of else None
    raised = None
    with open_driver(s) as driver:
        rep = run_detect(driver, s.neo4j_database, as_of=when,
                         window_s=int(window_days * DAY_S) if window_days > 0 else None,
                         overrides=parse_overrides(param or []), run_id=run_id, only=only)
        # A failed heuristic leaves the run incomplete: its alerts would miss evidence.
        if not no_alerts and rep.ok:
            # Dated at the run's as-of, like its signals.
            raised = alerts_after_run(driver, s.neo4j_database, s, "detect", as_of=rep.as_of)
    table = Table(title=f"detect {rep.run_id} (as of {rep.as_dict()['as_of_iso']})")
    for col in ("heuristic", "severity", "entity", "hits", "query s", "write s", "error"):
        table.add_column(col, justify="right" if col in ("hits", "query s", "write s")
                         else "left")
    for o in rep.outcomes:
        table.add_row(o.name, o.severity, o.entity, str(o.hits), f"{o.query_s:.2f}",
                      f"{o.write_s:.2f}", o.error or "")
    table.add_row("total", "", "", str(sum(o.hits for o in rep.outcomes)),
                  f"{sum(o.query_s for o in rep.outcomes):.2f}",
                  f"{sum(o.write_s for o in rep.outcomes):.2f}", "")
    Console(stderr=False).print(table)
    if raised is not None:
        typer.echo(f"alerts: {describe(raised)}")
    if report:
        write_json(report, {**rep.as_dict(), "alerts": summary(raised)})
    if not rep.ok:
        raise typer.Exit(1)


def heuristics(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the heuristics with their parameters and defaults."""
    from cypher.heuristics import load_heuristics

    hs = load_heuristics()
    if as_json:
        typer.echo(json.dumps([h.file.as_dict() for h in hs.values()], indent=2))
        return
    for h in hs.values():
        params = ", ".join(f"{n}={p.default}" for n, p in h.params.specs.items())
        typer.echo(f"{h.name:20s} {h.severity:6s} {h.entity:7s} {h.scheme:16s} {params}")


def query(
    name: Annotated[str | None, typer.Argument(help="query name (omit to list them)")] = None,
    param: Annotated[list[str] | None, typer.Option(help="name=value (repeatable)")] = None,
    table: Annotated[bool, typer.Option(help="rows as a table instead of JSON")] = False,
    out: Annotated[Path | None, typer.Option(help="write the JSON result here")] = None,
) -> None:
    """Run one investigator query read-only; ids may be raw (pseudonymised here)."""
    from cli.common import settings
    from cypher.ids import resolve_id_params
    from cypher.library import QueryLibrary
    from fraudgraph.db import open_driver
    from fraudgraph.pseudonym import Pseudonymiser

    lib = QueryLibrary.load()
    if name is None:
        typer.echo(json.dumps(lib.describe(), indent=2))
        return
    q = lib.get(name)
    s = settings()
    specs = q.file.params.specs
    values = q.file.params.parse_texts(_params(param), context=f"query {name}")
    values = resolve_id_params(specs, values,
                               Pseudonymiser(s.pseudonym_key.get_secret_value()))
    with open_driver(s) as driver:
        result = lib.run(driver, s.neo4j_database, name, values)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    if table and "rows" in result:
        _print_rows(result["rows"])
    elif not out:
        typer.echo(text)


def _print_rows(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table()
    cols = list(rows[0]) if rows else []
    for c in cols:
        t.add_column(c)
    for r in rows:
        t.add_row(*("" if r[c] is None else str(r[c]) for c in cols))
    Console().print(t)


def _num(x: float | None) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


def eval_heuristics(
    truth: Annotated[Path, typer.Option(help="the world's truth directory (DIR/truth)")],
    json_out: Annotated[Path, typer.Option("--json", help="write the metrics (JSON) here")],
    run_id: Annotated[str | None, typer.Option(help="evaluate this run (default: latest)")]
    = None,
) -> None:
    """Precision, recall and hits per heuristic against a generated world's truth."""
    from cli.common import settings
    from cypher.evaluate_run import evaluate_run
    from fraudgraph.db import open_driver
    from fraudgraph.pseudonym import Pseudonymiser

    s = settings()
    with open_driver(s) as driver:
        result = evaluate_run(driver, s.neo4j_database, truth,
                              Pseudonymiser(s.pseudonym_key.get_secret_value()), run_id=run_id)
    write_json(json_out, result)
    for name, m in result["heuristics"].items():
        flag = "  LOW PRECISION" if m["low_precision"] else ""
        typer.echo(f"{name:20s} hits {m['hits']:>7d}  precision {_num(m['precision'])}  "
                   f"recall {_num(m['recall'])}{flag}")
    u = result["union"]
    typer.echo(f"all heuristics: recall over fraud accounts {u['recall_accounts']:.3f} "
               f"({u['flagged_fraud_accounts']}/{u['fraud_accounts']})")

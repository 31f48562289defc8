"""CLI commands of the gnn package: train, score, clusters, eval models.

Heavy imports (torch, PyG, LightGBM, igraph) happen inside the commands, so that
`fraudgraph --help` stays instant.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from cli.common import NoAlerts, eval_group, write_json

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    app.command("score")(score)
    app.command("clusters")(clusters)
    eval_group(app).command("models")(eval_models)




NoCache = Annotated[bool, typer.Option("--no-cache", help="re-export even if data is unchanged")]
Threads = Annotated[int, typer.Option(help="torch / LightGBM threads")]
Version = Annotated[str | None, typer.Option(help="model version (default: the latest)")]


def _passive_omp() -> None:
    """Before torch loads: OpenMP threads that sleep instead of spinning. Spinning threads
    on two cores shared with Neo4j made each epoch 10-20x slower (measured)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _ts(text: str | None) -> float | None:
    from datetime import datetime

    return None if text is None else datetime.fromisoformat(text).timestamp()


def train(
    window_days: Annotated[float, typer.Option(help="validation/test window in days")] = 28.0,
    epochs: Annotated[int, typer.Option(help="maximum GNN epochs")] = 60,
    model: Annotated[str | None, typer.Option(
        help="GNN: hetero_sage, hetero_gat or multi_gine (default: GnnConfig's)")] = None,
    hidden: Annotated[int, typer.Option(help="GNN hidden size")] = 32,
    t1: Annotated[str | None, typer.Option(help="ISO cut-off T1 (default: T3 - 2 windows)")]
    = None,
    t2: Annotated[str | None, typer.Option(help="ISO cut-off T2 (default: T3 - 1 window)")]
    = None,
    t3: Annotated[str | None, typer.Option(help="ISO cut-off T3 (default: end of data)")]
    = None,
    threads: Threads = 2,
    heuristics: Annotated[bool, typer.Option(
        help="run the Cypher heuristics as of T2 for the heuristics-only baseline")] = True,
    signals: Annotated[bool, typer.Option(
        help="also use heuristic scores as model features (see gnn/snapshot/signals.py)")]
    = True,
    no_cache: NoCache = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the manifest here")]
    = None,
) -> None:
    """Export the graph, train the GNN and the baselines, register them under var/models."""
    _passive_omp()
    from gnn.commands import load_snapshot, run_train

    snap, s = load_snapshot(no_cache)
    manifest = run_train(snap, s, window_days=window_days, epochs=epochs, model=model,
                         hidden=hidden, cut=(_ts(t1), _ts(t2), _ts(t3)), threads=threads,
                         heuristics=heuristics, use_signals=signals)
    if json_out:
        write_json(json_out, manifest)
    typer.echo(f"model {manifest['version']}  split {json.dumps(manifest['split'])}")
    for name, m in manifest["metrics"]["test"].items():
        typer.echo(f"{name:12s} " + "  ".join(
            f"{k} {m[k]:.4f}" for k in ("pr_auc", "roc_auc", "precision_at_100",
                                        "recall_at_1pct_fpr") if m.get(k) is not None))


def score(version: Version = None, threads: Threads = 2, no_cache: NoCache = False,
          no_alerts: NoAlerts = False) -> None:
    """Score every account with the registered GNN and write `gnn_score` to Neo4j.

    Then raises alerts: one per entity, merged with its other evidence."""
    _passive_omp()
    from gnn.commands import load_snapshot, run_score

    snap, s = load_snapshot(no_cache)
    result, written, seconds = run_score(snap, s, version=version, threads=threads)
    typer.echo(f"model {result.version}: scored {len(result.ids)} accounts in "
               f"{result.seconds:.1f} s, wrote {written} gnn_score values in {seconds:.1f} s")
    if not no_alerts:
        from casework.hooks import alerts_after_run, describe
        from fraudgraph.db import open_driver

        with open_driver(s) as driver:
            raised = alerts_after_run(driver, s.neo4j_database, s, "score")
        typer.echo(f"alerts: {describe(raised)}")


def clusters(
    threshold: Annotated[float | None, typer.Option(
        help="gnn_score threshold (default: top 1 % of scores)")] = None,
    min_size: Annotated[int, typer.Option(help="smallest cluster kept")] = 3,
    window_days: Annotated[float, typer.Option(help="growth window in days")] = 7.0,
    no_cache: NoCache = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the clusters here")]
    = None,
) -> None:
    """Leiden communities of the high-risk subgraph, written as (:Cluster) nodes."""
    _passive_omp()
    from gnn.commands import load_snapshot, run_clusters

    snap, s = load_snapshot(no_cache)
    run = run_clusters(snap, s, threshold=threshold, min_size=min_size, window_days=window_days)
    rows = [{k: v for k, v in c.__dict__.items() if k != "members"} for c in run.clusters]
    if json_out:
        write_json(json_out, {"threshold": run.threshold, "high_risk": run.high_risk,
                              "clusters": rows})
    typer.echo(f"{len(run.clusters)} clusters from {run.high_risk} high-risk accounts "
               f"(threshold {run.threshold:.4f})")
    for c in sorted(run.clusters, key=lambda c: -c.predicted_growth)[:10]:
        typer.echo(f"{c.id}  size {c.size:4d}  banks {c.banks:2d}  victims {c.victims:4d}  "
                   f"{c.scheme:16s} predicted new payers next window {c.predicted_growth:.1f}")


def eval_models(
    truth: Annotated[Path | None, typer.Option(help="the world's truth directory (DIR/truth)")]
    = None,
    json_out: Annotated[Path, typer.Option("--json", help="write the metrics (JSON) here")]
    = Path("var/reports/eval_models.json"),
    version: Version = None,
    weeks: Annotated[int, typer.Option(help="emerging-scheme backtest windows")] = 3,
    no_cache: NoCache = False,
) -> None:
    """Every model and baseline on the test window; cluster and emerging-scheme quality."""
    _passive_omp()
    from gnn.commands import load_snapshot, run_eval

    snap, s = load_snapshot(no_cache)
    result = run_eval(snap, s, truth=truth, version=version, weeks=weeks)
    write_json(json_out, result)
    for section in ("reported", "reported_active", "truth", "truth_hidden"):
        for name, m in result.get(section, {}).items():
            pr = m.get("pr_auc")
            typer.echo(f"{section:12s} {name:12s} PR-AUC {pr if pr is None else round(pr, 4)}"
                       f"  P@100 {m.get('precision_at_100')}")
    typer.echo(f"metrics: {json_out}")

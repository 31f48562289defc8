"""Benchmark the GNN pipeline on a loaded world: export, train (GNN + baselines), score,
clusters and evaluation, with times, peak RSS and every model's metrics.

    FRAUDGRAPH_VAR_DIR=... FRAUDGRAPH_BOLT_PORT=... \\
    .venv/bin/python bench/gnn_pipeline.py --out var/bench/gnn.json --world var/worlds/w200k-s7
    .venv/bin/python bench/gnn_pipeline.py --out new.json --world DIR --baseline var/bench/gnn.json

The world must already be loaded into the Neo4j the settings point at (``--world`` only
names its ``truth/``). ``--score-accounts N`` also times scoring N accounts on the
loaded snapshot tiled to that size (compute only, heuristic signals from the latest
detect run; the Neo4j write rate measured on the real world is reported next to it).
"""

from __future__ import annotations

import os

# Before torch loads: sleeping, not spinning, OpenMP threads (see gnn/cli.py).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import logging
import math
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from fraudgraph.db import open_driver
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import load_settings
from gnn.clusters.communities import ClusterConfig
from gnn.clusters.run import build_clusters
from gnn.clusters.store import previous_clusters, write_clusters
from gnn.commands import signal_source
from gnn.evaluate import clusters_vs_truth, emerging_backtest, model_metrics
from gnn.models.fit import GnnConfig
from gnn.models.pipeline import TrainOptions, score_snapshot, train_pipeline, write_scores
from gnn.snapshot.export import export_snapshot
from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.signals import detect_run_signals
from gnn.snapshot.timed import TimedSnapshot

log = logging.getLogger("bench.gnn_pipeline")


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Stages:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float]] = {}
        self._t = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.rows[name] = {"seconds": round(now - self._t, 2), "peak_rss_mb": peak_rss_mb()}
        log.info("%s: %.1f s, peak RSS %.0f MB", name, now - self._t, peak_rss_mb())
        self._t = now

    def restart(self) -> None:
        self._t = time.perf_counter()


def tile(snap: TimedSnapshot, copies: int) -> TimedSnapshot:
    """``copies`` disjoint copies of the snapshot in one (same schema, k times the size)."""
    out = TimedSnapshot(data_hash=f"{snap.data_hash}x{copies}")
    for t, ids in snap.nodes.items():
        out.nodes[t] = [f"{i}#{k}" for k in range(copies) for i in ids]
        out.node_attrs[t] = {a: np.tile(v, copies) for a, v in snap.node_attrs.get(t, {}).items()}
    for et, es in snap.edges.items():
        ns, nd = len(snap.nodes[et[0]]), len(snap.nodes[et[2]])
        offs = np.repeat(np.arange(copies, dtype=np.int64), len(es))
        out.edges[et] = EdgeSet(np.tile(es.src, copies) + offs * ns,
                                np.tile(es.dst, copies) + offs * nd,
                                None if es.amount is None else np.tile(es.amount, copies),
                                None if es.at is None else np.tile(es.at, copies))
        out.edge_attrs[et] = {a: np.tile(v, copies) for a, v in snap.attrs(et).items()}
    return out


def compare(current: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    def pr(d: dict[str, Any], section: str) -> dict[str, Any]:
        return {k: v.get("pr_auc") for k, v in d.get("metrics", {}).get(section, {}).items()}

    return {
        "baseline_file": baseline.get("_path"),
        "stage_seconds": {k: [baseline.get("stages", {}).get(k, {}).get("seconds"),
                              v["seconds"]] for k, v in current["stages"].items()},
        "pr_auc_reported": {k: [pr(baseline, "reported").get(k), v]
                            for k, v in pr(current, "reported").items()},
        "pr_auc_truth": {k: [pr(baseline, "truth").get(k), v]
                         for k, v in pr(current, "truth").items()},
    }


def score_only(args: argparse.Namespace, s: Any) -> None:
    from gnn.registry import latest
    from gnn.snapshot.cache import load_cached

    snap = load_cached(s.var_dir / "cache", args.score_only)
    if snap is None:
        raise SystemExit(f"no cached snapshot {args.score_only} under {s.var_dir / 'cache'}")
    directory = latest(s.var_dir / "models")
    copies = max(1, math.ceil(args.score_accounts / len(snap.nodes["Account"])))
    big = tile(snap, copies)
    del snap
    stages = Stages()
    res = score_snapshot(big, directory, threads=args.threads,
                         signals_at=lambda c: detect_run_signals(big, c) or {})
    stages.done("score_tiled_compute")
    out = {"model": directory.name, "accounts": len(res.ids), "copies": copies,
           "stages": stages.rows, "peak_rss_mb": peak_rss_mb(),
           "score_quantiles": np.quantile(res.scores, [0.5, 0.99, 0.999]).tolist()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    log.info("wrote %s", args.out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--world", type=Path, help="the loaded world's directory (for truth/)")
    ap.add_argument("--baseline", type=Path, help="an earlier result to compare with")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--model", help="GNN architecture (default: GnnConfig's)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--window-days", type=float, default=28.0)
    ap.add_argument("--pu-exclude", type=float, default=TrainOptions.pu_exclude,
                    help="the tabular model's positive-unlabelled refit (0: one fit)")
    ap.add_argument("--no-heuristics", action="store_true")
    ap.add_argument("--no-signals", dest="signals", action="store_false",
                    help="no heuristic scores as model features")
    ap.add_argument("--score-accounts", type=int, default=0)
    ap.add_argument("--weeks", type=int, default=3, help="emerging-scheme backtest windows")
    ap.add_argument("--score-only", metavar="DATA_HASH",
                    help="only time --score-accounts with the latest model on this cached "
                         "snapshot (no Neo4j needed)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)

    s = load_settings()
    if args.score_only:
        score_only(args, s)
        return
    stages = Stages()
    result: dict[str, Any] = {"host": {"python": platform.python_version(),
                                       "cpus": os.cpu_count()}, "args": {
        k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}
    cache = s.var_dir / "cache"
    models = s.var_dir / "models"
    with open_driver(s) as driver:
        snap = export_snapshot(driver, s.neo4j_database, cache_dir=None)
        stages.done("export")
        export_snapshot(driver, s.neo4j_database, cache_dir=cache, progress=False)
        stages.restart()
        export_snapshot(driver, s.neo4j_database, cache_dir=cache, progress=False)
        stages.done("export_cached")
    result["graph"] = {"nodes": {t: len(v) for t, v in snap.nodes.items()},
                       "edges": {"-".join(et): len(es) for et, es in snap.edges.items()}}

    signals_at = None if args.no_heuristics and not args.signals else signal_source(s, snap)
    opts = TrainOptions(window_days=args.window_days, threads=args.threads, progress=True,
                        signals_at=signals_at, use_signals=args.signals,
                        pu_exclude=args.pu_exclude,
                        gnn=GnnConfig(model=args.model or GnnConfig.model,
                                      hidden=args.hidden, epochs=args.epochs))
    manifest = train_pipeline(snap, models, opts)
    stages.done("train")
    directory = models / manifest["version"]
    result["train"] = {"version": manifest["version"], "split": manifest["split"],
                       "cutoffs": manifest["cutoffs"], "timings_s": manifest["timings_s"],
                       "gnn_fit": manifest["gnn"]["fit"], "val": manifest["metrics"]["val"]}

    scored = score_snapshot(snap, directory, threads=args.threads, signals_at=signals_at)
    stages.done("score_compute")
    with open_driver(s) as driver:
        written = write_scores(driver, s.neo4j_database, scored)
        stages.done("score_write")
        run = build_clusters(snap, scored.scores, previous_clusters(driver, s.neo4j_database))
        write_clusters(driver, s.neo4j_database, run.clusters, manifest["version"])
        stages.done("clusters")
    write_rate = written / max(stages.rows["score_write"]["seconds"], 1e-9)
    result["score"] = {"accounts": len(scored.ids), "write_rows_per_s": round(write_rate)}

    pseudo = Pseudonymiser(s.pseudonym_key.get_secret_value())
    truth = args.world / "truth" if args.world else None
    metrics = model_metrics(directory, snap, truth, pseudo, s.var_dir / "reports")
    if truth is not None:
        metrics["clusters"] = clusters_vs_truth(snap, [sorted(c.members) for c in run.clusters],
                                                truth, pseudo)
    metrics["emerging"] = emerging_backtest(
        snap, lambda c: score_snapshot(snap, directory, cutoff=c, threads=args.threads,
                                       signals_at=signals_at).scores,
        ClusterConfig(), weeks=args.weeks)
    stages.done("eval")
    result["metrics"] = metrics
    result["clusters_summary"] = {"count": len(run.clusters), "high_risk": run.high_risk,
                                  "threshold": run.threshold}

    if args.score_accounts:
        copies = math.ceil(args.score_accounts / len(snap.nodes["Account"]))
        big = tile(snap, copies)
        stages.restart()
        res = score_snapshot(big, directory, threads=args.threads,
                             signals_at=lambda c: detect_run_signals(big, c) or {})
        stages.done("score_tiled_compute")
        n = len(res.ids)
        result["score_tiled"] = {"accounts": n, "compute_s": stages.rows[
            "score_tiled_compute"]["seconds"], "write_s_at_measured_rate": round(n / write_rate, 1)}
    result["stages"] = stages.rows
    result["peak_rss_mb"] = peak_rss_mb()
    if args.baseline and args.baseline.exists():
        base = json.loads(args.baseline.read_text())
        base["_path"] = str(args.baseline)
        result["comparison"] = compare(result, base)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=float))
    log.info("wrote %s", args.out)


if __name__ == "__main__":
    main()

"""What the CLI commands do, given settings: export, then train / score / cluster /
evaluate. Kept apart from `cli.models` so the CLI module imports nothing heavy."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from fraudgraph.settings import Settings
from gnn.snapshot.timed import TimedSnapshot

log = logging.getLogger(__name__)


def cache_dir(s: Settings) -> Path:
    return s.var_dir / "cache"


def models_root(s: Settings) -> Path:
    return s.var_dir / "models"


def load_snapshot(no_cache: bool = False, s: Settings | None = None
                  ) -> tuple[TimedSnapshot, Settings]:
    from fraudgraph.db import open_driver
    from fraudgraph.settings import load_settings
    from gnn.snapshot.export import export_snapshot

    s = s or load_settings()
    with open_driver(s) as driver:
        snap = export_snapshot(driver, s.neo4j_database,
                               cache_dir=None if no_cache else cache_dir(s))
    return snap, s


def signal_source(s: Settings, snap: TimedSnapshot) -> Any:
    """Heuristic scores as of a cut-off: the latest detect run's signals when it ran as
    of that cut-off, else the heuristics run read-only against the graph."""
    from fraudgraph.db import open_driver
    from gnn.snapshot.signals import detect_run_signals, heuristic_signals

    def at(cutoff: float) -> dict[str, np.ndarray]:
        stored = detect_run_signals(snap, cutoff)
        if stored is not None:
            log.info("heuristic signals from the latest detect run")
            return stored
        with open_driver(s) as driver:
            return heuristic_signals(driver, s.neo4j_database, snap, cutoff)

    return at


def run_train(snap: TimedSnapshot, s: Settings, *, window_days: float = 28.0,
              epochs: int = 60, model: str | None = None, hidden: int = 32,
              cut: tuple[float | None, float | None, float | None] = (None, None, None),
              threads: int = 2, progress: bool = True, heuristics: bool = True,
              use_signals: bool = True) -> dict[str, Any]:
    from gnn.models.fit import GnnConfig
    from gnn.models.pipeline import TrainOptions, train_pipeline
    from gnn.snapshot.labels import Cutoffs, default_cutoffs

    cutoffs = None
    if any(c is not None for c in cut):
        d = default_cutoffs(cut[2] or snap.latest_time() + 1.0, window_days)
        cutoffs = Cutoffs(cut[0] or d.t1, cut[1] or d.t2, cut[2] or d.t3)
    opts = TrainOptions(window_days=window_days, cutoffs=cutoffs, threads=threads,
                        progress=progress, use_signals=use_signals,
                        signals_at=signal_source(s, snap) if heuristics or use_signals else None,
                        gnn=GnnConfig(model=model or GnnConfig.model,
                                      hidden=hidden, epochs=epochs))
    return train_pipeline(snap, models_root(s), opts)


def run_score(snap: TimedSnapshot, s: Settings, *, version: str | None = None,
              threads: int = 2, progress: bool = True) -> tuple[Any, int, float]:
    from fraudgraph.db import open_driver
    from gnn.models.pipeline import score_snapshot, write_scores
    from gnn.registry import resolve

    result = score_snapshot(snap, resolve(models_root(s), version), threads=threads,
                            signals_at=signal_source(s, snap))
    t0 = time.perf_counter()
    with open_driver(s) as driver:
        written = write_scores(driver, s.neo4j_database, result, progress=progress)
    return result, written, time.perf_counter() - t0


def scores_array(snap: TimedSnapshot, scores: dict[str, float]) -> np.ndarray:
    return np.array([scores.get(i, np.nan) for i in snap.nodes["Account"]], dtype=np.float64)


def run_clusters(snap: TimedSnapshot, s: Settings, *, threshold: float | None = None,
                 min_size: int = 3, window_days: float = 7.0) -> Any:
    from datetime import UTC, datetime

    from fraudgraph.db import open_driver
    from gnn.clusters.communities import ClusterConfig
    from gnn.clusters.run import build_clusters
    from gnn.clusters.store import previous_clusters, read_scores, write_clusters
    from gnn.errors import GnnError

    cfg = ClusterConfig(min_size=min_size, window_days=window_days)
    with open_driver(s) as driver:
        scores = read_scores(driver, s.neo4j_database)
        if not scores:
            raise GnnError("no account has a gnn_score yet; run `fraudgraph score` first")
        previous = previous_clusters(driver, s.neo4j_database)
        run = build_clusters(snap, scores_array(snap, scores), previous, cfg, threshold)
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        write_clusters(driver, s.neo4j_database, run.clusters, run_id)
    return run


def stored_scores(driver: Any, database: str) -> dict[str, dict[str, float | None]]:
    """Per account: the stored risk, model and propagation scores, and the noisy-OR of the
    latest detect run's heuristic scores (what the risk engine combines)."""
    from cypher import statement

    recs, _, _ = driver.execute_query(statement("eval/account_scores"), database_=database,
                                      routing_="r")
    out: dict[str, dict[str, float | None]] = {}
    for r in recs:
        keep = 1.0
        for sig in r["signals"] or []:
            keep *= 1.0 - min(max(float(sig["score"] or 0.0), 0.0), 1.0)
        out[r["id"]] = {"risk": r["risk"], "gnn_score": r["gnn_score"],
                        "prop_score": r["prop_score"], "heuristics": 1.0 - keep}
    return out


def run_eval(snap: TimedSnapshot, s: Settings, *, truth: Path | None, version: str | None = None,
             weeks: int = 3) -> dict[str, Any]:
    from fraudgraph.db import open_driver
    from fraudgraph.pseudonym import Pseudonymiser
    from gnn.clusters.communities import ClusterConfig
    from gnn.clusters.store import previous_clusters
    from gnn.evaluate import clusters_vs_truth, emerging_backtest, model_metrics, served_now
    from gnn.models.pipeline import score_snapshot
    from gnn.registry import resolve

    directory = resolve(models_root(s), version)
    pseudo = Pseudonymiser(s.pseudonym_key.get_secret_value())
    result = model_metrics(directory, snap, truth, pseudo, s.var_dir / "reports")
    with open_driver(s) as driver:
        current = previous_clusters(driver, s.neo4j_database)
        if truth is not None:
            result["served_now"] = served_now(snap, stored_scores(driver, s.neo4j_database),
                                              truth, pseudo)
    if truth is not None and current:
        result["clusters"] = clusters_vs_truth(snap, [sorted(m) for m in current.values()],
                                               truth, pseudo)
    else:
        result["clusters"] = {"note": "no clusters in the graph (run `fraudgraph clusters`)"
                              if not current else "no truth directory given"}

    def score_at(cutoff: float) -> np.ndarray:
        return score_snapshot(snap, directory, cutoff=cutoff,
                              signals_at=signal_source(s, snap)).scores

    result["emerging"] = emerging_backtest(snap, score_at, ClusterConfig(), weeks=weeks)
    return result

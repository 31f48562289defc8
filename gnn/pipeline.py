"""Train and score: snapshot -> features -> HeteroData -> GNN + baselines -> registry;
and the registered model applied to every account, written back as ``gnn_score``.

    train_pipeline(snapshot, models_root, TrainOptions())   -> manifest (dict)
    score_snapshot(snapshot, model_dir)                     -> ScoreResult
    write_scores(driver, database, result)                  -> rows written

The GNN is fitted at T1 and evaluated on the test window with features as of T2 (see
`gnn.labels`); `fraudgraph score` applies the same model to the graph as of now.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from neo4j import Driver

from gnn.baselines import (
    fit_lightgbm,
    heuristic_scores,
    lightgbm_scores,
    propagation_scores,
    save_lightgbm,
)
from gnn.errors import GnnError
from gnn.fit import GnnConfig, fit_gnn, new_model, score_accounts
from gnn.heuristic_source import feature_signals
from gnn.labels import Cutoffs, choose_cutoffs, first_known, label_sources, time_split
from gnn.model_io import load_gnn, save_gnn
from gnn.prepare import (
    GNN_GROUPS,
    TABULAR_GROUPS,
    Standardiser,
    cutoff_view,
    fit_standardiser,
    gnn_data,
)
from gnn.registry import model_dir, new_version, read_manifest, write_manifest
from gnn.report import metric_row
from gnn.timed import TimedSnapshot

log = logging.getLogger(__name__)

SignalSource = Callable[[float], dict[str, np.ndarray]]


@dataclass
class TrainOptions:
    window_days: float = 28.0
    cutoffs: Cutoffs | None = None
    gnn: GnnConfig = field(default_factory=GnnConfig)
    # Two threads need OMP_WAIT_POLICY=PASSIVE (set by the CLI before torch loads): with
    # OpenMP's default spin-waiting on two cores shared with other work, two threads were
    # measured 10-20x slower per epoch than one.
    threads: int = 2
    progress: bool = True
    min_positives: int = 3
    # Heuristic scores as of a cut-off (`gnn.heuristic_source`): the heuristics-only
    # baseline, and model features when use_signals is set (off: see that module).
    signals_at: SignalSource | None = None
    use_signals: bool = False


@dataclass
class ScoreResult:
    ids: list[str]
    scores: np.ndarray
    version: str
    cutoff: float
    seconds: float


def _stage(timings: dict[str, float], name: str, t0: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - t0, 3)
    return now


def train_pipeline(snapshot: TimedSnapshot, models_root: Path,
                   options: TrainOptions | None = None) -> dict[str, Any]:
    """Fit the GNN and LightGBM at T1, evaluate every model and baseline on the test
    window, and register the result. Returns the manifest."""
    opt = options or TrainOptions()
    torch.set_num_threads(opt.threads)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    end = snapshot.latest_time() + 1.0
    first = first_known(snapshot)
    cut = opt.cutoffs or choose_cutoffs(first, end, opt.window_days, opt.min_positives)
    split = time_split(first, snapshot.node_attr("Account", "opened_at"), cut, opt.min_positives)
    log.info("split %s: %s", cut, split.counts())
    sig2 = opt.signals_at(cut.t2) if opt.signals_at is not None else None
    sig1 = opt.signals_at(cut.t1) if opt.signals_at is not None and opt.use_signals else None
    t = _stage(timings, "heuristics", t)
    v1 = cutoff_view(snapshot, cut.t1, opt.window_days, feature_signals(sig1))
    v2 = cutoff_view(snapshot, cut.t2, opt.window_days,
                     feature_signals(sig2) if opt.use_signals else None)
    t = _stage(timings, "features", t)

    extra = ("signal",) if opt.use_signals else ()
    tab_names = v1.table.select(TABULAR_GROUPS + extra)
    x1, x2 = v1.tabular(tab_names), v2.tabular(tab_names)
    lgbm = fit_lightgbm(x1[split.train], split.y_train[split.train], x1[split.val],
                        split.y_val[split.val], seed=opt.gnn.seed, threads=opt.threads)
    test_scores: dict[str, np.ndarray] = {"lightgbm": lightgbm_scores(lgbm, x2[split.test])}
    val_scores: dict[str, np.ndarray] = {"lightgbm": lightgbm_scores(lgbm, x1[split.val])}
    t = _stage(timings, "lightgbm", t)

    gnn_names = v1.table.select(GNN_GROUPS + extra)
    std = fit_standardiser(v1, gnn_names, split.train)
    data1 = gnn_data(v1, gnn_names, std)
    model = new_model(opt.gnn, data1)
    fit = fit_gnn(model, data1, v1.known, split.train, split.val, split.y_val, opt.gnn,
                  progress=opt.progress)
    val_scores["gnn"] = score_accounts(model, data1, v1.known, opt.gnn.score_folds,
                                       opt.gnn.seed)[split.val]
    data2 = gnn_data(v2, gnn_names, std)
    test_scores["gnn"] = score_accounts(model, data2, v2.known, opt.gnn.score_folds,
                                        opt.gnn.seed)[split.test]
    t = _stage(timings, "gnn", t)

    test_scores["propagation"] = propagation_scores(v2.snap, cut.t2)[split.test]
    heur = heuristic_scores(sig2, snapshot.count("Account"))
    if heur is not None:
        test_scores["heuristics"] = heur[split.test]
    t = _stage(timings, "baselines", t)

    y_test = split.y_test[split.test]
    metrics = {name: metric_row(y_test, s) for name, s in test_scores.items()}
    val_metrics = {name: metric_row(split.y_val[split.val], s) for name, s in val_scores.items()}
    version = new_version(snapshot.data_hash)
    directory = model_dir(models_root, version)
    directory.mkdir(parents=True, exist_ok=True)
    arch = save_gnn(model, data1, opt.gnn, directory / "gnn.pt")
    save_lightgbm(lgbm, directory / "lightgbm.txt")
    ids = np.array(snapshot.nodes["Account"], dtype=np.str_)
    arrays = {"ids": ids[split.test], "y": y_test,
              **{f"score_{k}": v for k, v in test_scores.items()}}
    np.savez(directory / "test_scores.npz", **arrays)  # type: ignore[arg-type]
    _stage(timings, "register", t)
    manifest: dict[str, Any] = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(),
        "data_hash": snapshot.data_hash,
        "cutoffs": asdict(cut),
        "window_days": opt.window_days,
        "split": split.counts(),
        "label_sources": label_sources(snapshot),  # incidents, black list, verdicts
        "features": {"tabular": tab_names, "gnn": gnn_names, "gnn_flag": "known_positive"},
        "standardiser": std.as_dict(),
        "gnn": {"config": opt.gnn.as_dict(), "architecture": arch,
                "fit": {k: v for k, v in asdict(fit).items() if k != "history"},
                "history": fit.history},
        "lightgbm": {"best_iteration": int(getattr(lgbm, "best_iteration_", 0) or 0)},
        "metrics": {"test": metrics, "val": val_metrics},
        "use_signals": opt.use_signals,
        "notes": {"heuristics": "sum of heuristic scores run as of T2" if heur is not None
                  else "heuristics not run"},
        "timings_s": timings,
    }
    write_manifest(directory, manifest)
    log.info("registered model %s: test PR-AUC %s", version,
             {k: round(v["pr_auc"], 4) if v["pr_auc"] is not None else None
              for k, v in metrics.items()})
    return manifest


def score_snapshot(snapshot: TimedSnapshot, directory: Path, *, cutoff: float | None = None,
                   threads: int = 2, signals_at: SignalSource | None = None) -> ScoreResult:
    """GNN probability for every account as of ``cutoff`` (default: after the last event)."""
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    manifest = read_manifest(directory)
    when = cutoff if cutoff is not None else snapshot.latest_time() + 1.0
    signals = None
    if manifest.get("use_signals"):
        if signals_at is None:
            raise GnnError("this model uses heuristic signals: scoring needs them too")
        signals = feature_signals(signals_at(when))
    view = cutoff_view(snapshot, when, float(manifest["window_days"]), signals)
    std = Standardiser.from_dict(manifest["standardiser"])
    data = gnn_data(view, list(manifest["features"]["gnn"]), std)
    model, cfg = load_gnn(directory / "gnn.pt", manifest["gnn"])
    scores = score_accounts(model, data, view.known, cfg.score_folds, cfg.seed)
    return ScoreResult(list(snapshot.nodes["Account"]), scores, str(manifest["version"]), when,
                       time.perf_counter() - t0)


SCORE_QUERY = (
    "UNWIND $rows AS r MATCH (a:Account {id: r[0]}) "
    "SET a.gnn_score = r[1], a.gnn_model = $version, a.gnn_scored_at = datetime()"
)


def write_scores(driver: Driver, database: str, result: ScoreResult, *,
                 batch_size: int = 10_000, progress: bool = True) -> int:
    """``gnn_score`` on every scored account, in batched UNWIND writes."""
    from tqdm import tqdm

    from fraudgraph.db import write_batches

    rows = ([i, float(s)] for i, s in zip(result.ids, result.scores.tolist(), strict=True))
    bar = tqdm(total=len(result.ids), desc="write gnn_score", unit="acc", disable=not progress,
               leave=False)
    n = write_batches(driver, database, SCORE_QUERY, rows,  # type: ignore[arg-type]
                      batch_size=batch_size, params={"version": result.version},
                      on_batch=bar.update)
    bar.close()
    return n

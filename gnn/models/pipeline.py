"""Train and score: snapshot -> features -> cross-fitted LightGBM and the GNN -> the
winner on validation, the learned risk combination, the winner refit on every label
known now -> registry; and the served model applied to every account, written back as
``gnn_score`` (the model component of the served risk).

    train_pipeline(snapshot, models_root, TrainOptions())   -> manifest (dict)
    score_snapshot(snapshot, model_dir)                     -> ScoreResult
    write_scores(driver, database, result)                  -> rows written

Candidates are fitted at T1 and evaluated on the test window with features as of T2 (see
`gnn.snapshot.labels`); `fraudgraph score` applies the refit winner to the graph as of now.
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

from cypher import statement
from gnn.errors import GnnError
from gnn.models.baselines import held_out_propagation, propagation_scores
from gnn.models.checkpoint import load_gnn, save_gnn
from gnn.models.crossfit import FOLDS, REPEATS, RepeatedCrossFit, fit_pu, group_folds
from gnn.models.fit import GnnConfig, fit_gnn, new_model, score_accounts
from gnn.models.prepare import (
    GNN_GROUPS,
    TABULAR_GROUPS,
    Standardiser,
    cutoff_view,
    fit_standardiser,
    gnn_data,
)
from gnn.models.report import metric_row
from gnn.models.selection import choose_model, near_known, stratified_roc
from gnn.propagation.combine import fit_combiner
from gnn.registry import model_dir, new_version, read_manifest, write_manifest
from gnn.snapshot.labels import Cutoffs, choose_cutoffs, first_known, label_sources, time_split
from gnn.snapshot.signals import feature_signals
from gnn.snapshot.timed import TimedSnapshot

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
    # Heuristic scores as of a cut-off (`gnn.snapshot.signals`): the heuristics-only
    # baseline, and model features when use_signals is set (off: see that module).
    signals_at: SignalSource | None = None
    use_signals: bool = False
    # Cross-fitting of the tabular model (`gnn.models.crossfit`): folds, and how many times it is
    # repeated with other folds (the members' scores are averaged).
    folds: int = FOLDS
    repeats: int = REPEATS
    # Folds in which known evidence (propagation's seeds) is held out for the combination:
    # one propagation run per fold.
    evidence_folds: int = 5
    # The tabular model's second, positive-unlabelled fit (`gnn.models.crossfit.fit_pu`):
    # unlabelled rows left out of its training, as a multiple of the known positives
    # (0: one fit).
    pu_exclude: float = 1.0


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


def noisy_or(signals: dict[str, np.ndarray] | None, n: int) -> np.ndarray | None:
    """Per account, 1 - prod(1 - score) over the heuristics: the same evidence the risk
    engine reads from the graph's signals (`gnn.propagation.engine.heuristic_evidence`)."""
    if not signals:
        return None
    keep = np.ones(n)
    for s in signals.values():
        keep *= 1.0 - np.clip(np.nan_to_num(np.asarray(s, dtype=np.float64)), 0.0, 1.0)
    return 1.0 - keep


def rank_mean(*scores: np.ndarray) -> np.ndarray:
    """The mean of each model's percentile rank: the two candidates' scores live on
    different scales, their rankings do not."""
    from scipy.stats import rankdata

    n = len(scores[0])
    if n == 0:
        return np.zeros(0)
    return np.asarray(np.mean([rankdata(s) / n for s in scores], axis=0))


def _ids(snapshot: TimedSnapshot) -> np.ndarray:
    return np.array(snapshot.nodes["Account"], dtype=np.str_)


def _gnn_scores(model: torch.nn.Module, data: Any, known: np.ndarray,
                cfg: GnnConfig) -> np.ndarray:
    return score_accounts(model, data, known, cfg.score_folds, cfg.seed)


def train_pipeline(snapshot: TimedSnapshot, models_root: Path,
                   options: TrainOptions | None = None) -> dict[str, Any]:
    """Time-split evaluation of every candidate, then the served model refit on every
    label known now.

    At T1: the cross-fitted LightGBM and the GNN are fitted on labels known before T1,
    and their rank-mean ensemble is a third candidate; validation (labelled in [T1, T2))
    picks the served model (`choose_model`). The winner is refit on all labels known now,
    and that is what `fraudgraph score` applies. The risk combination of its score with
    propagation and the heuristics (`gnn.propagation.combine`) is fitted on validation, or, for the
    cross-fitted models, on their held-out scores at now with whole known rings held out
    (`HeldOut`). At T2 every component and the served risk are scored on the test
    window."""
    opt = options or TrainOptions()
    torch.set_num_threads(opt.threads)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    end = snapshot.latest_time() + 1.0
    first = first_known(snapshot)
    cut = opt.cutoffs or choose_cutoffs(first, end, opt.window_days, opt.min_positives,
                                        start=snapshot.earliest_time())
    opened = snapshot.node_attr("Account", "opened_at")
    split = time_split(first, opened, cut, opt.min_positives)
    log.info("split %s: %s", cut, split.counts())
    n = snapshot.count("Account")
    ids = _ids(snapshot)
    sig1 = opt.signals_at(cut.t1) if opt.signals_at is not None else None
    sig2 = opt.signals_at(cut.t2) if opt.signals_at is not None else None
    t = _stage(timings, "heuristics", t)
    v1 = cutoff_view(snapshot, cut.t1, opt.window_days,
                     feature_signals(sig1) if opt.use_signals else None)
    v2 = cutoff_view(snapshot, cut.t2, opt.window_days,
                     feature_signals(sig2) if opt.use_signals else None)
    t = _stage(timings, "features", t)

    extra = ("signal",) if opt.use_signals else ()
    tab_names = v1.table.select(TABULAR_GROUPS + extra)
    x1, x2 = v1.tabular(tab_names), v2.tabular(tab_names)
    cf, _ = fit_pu(x1, split.y_train, split.train, ids, exclude=opt.pu_exclude,
                   folds=opt.folds, repeats=opt.repeats, seed=opt.gnn.seed, threads=opt.threads)
    val_scores: dict[str, np.ndarray] = {"lightgbm": cf.score(x1[split.val], ids[split.val])}
    test_scores: dict[str, np.ndarray] = {"lightgbm": cf.score(x2[split.test],
                                                               ids[split.test])}
    t = _stage(timings, "lightgbm", t)

    gnn_names = v1.table.select(GNN_GROUPS + extra)
    std = fit_standardiser(v1, gnn_names, split.train)
    data1 = gnn_data(v1, gnn_names, std)
    model = new_model(opt.gnn, data1)
    fit = fit_gnn(model, data1, v1.known, split.train, split.val, split.y_val, opt.gnn,
                  progress=opt.progress)
    val_scores["gnn"] = _gnn_scores(model, data1, v1.known, opt.gnn)[split.val]
    data2 = gnn_data(v2, gnn_names, std)
    test_scores["gnn"] = _gnn_scores(model, data2, v2.known, opt.gnn)[split.test]
    val_scores["ensemble"] = rank_mean(val_scores["lightgbm"], val_scores["gnn"])
    test_scores["ensemble"] = rank_mean(test_scores["lightgbm"], test_scores["gnn"])
    t = _stage(timings, "gnn", t)

    y_val = split.y_val[split.val]
    val_metrics = {name: metric_row(y_val, s) for name, s in val_scores.items()}
    # Links as known now, not at T1: which ring a validation positive belongs to is best
    # known now (as of T1, the links that later made it known are often missing).
    near_val = near_known(snapshot, v1.known)[split.val]
    beyond = {name: stratified_roc(y_val, s, near_val) for name, s in val_scores.items()}
    winner, informative = choose_model(val_metrics, float(y_val.mean()) if y_val.size else 0.0,
                                       beyond_proximity=beyond)
    proximity = {"val_positives_near_known": int((near_val & (y_val == 1)).sum()),
                 "val_positives": int(y_val.sum()),
                 "roc_auc_within_strata": {k: None if v is None else round(v[0], 4)
                                           for k, v in beyond.items()}}
    log.info("served model: %s (validation PR-AUC %s%s)", winner,
             {k: v["pr_auc"] for k, v in val_metrics.items()},
             "" if informative else "; validation at chance beyond proximity to known fraud, "
             "so the cross-fitted model")

    prop1 = propagation_scores(v1.snap, cut.t1)
    prop2 = propagation_scores(v2.snap, cut.t2)
    # With heuristic signals among the model's features, the model already weighs each
    # heuristic on its own; a separate noisy-OR of them would count them twice and blur
    # a precise one (AMLSim's cycle, 0.99) with noisy ones (fan-in, 0.2): served AP fell
    # from 0.59 to 0.37 with it.
    combine_heur = not opt.use_signals
    heur1, heur2 = noisy_or(feature_signals(sig1), n), noisy_or(feature_signals(sig2), n)
    version = new_version(snapshot.data_hash)
    directory = model_dir(models_root, version)
    directory.mkdir(parents=True, exist_ok=True)
    cf.save(directory / "lightgbm_t1")  # for analysis (feature importance), not served
    refit, held_out = _refit(snapshot, end, winner, opt, tab_names, gnn_names, fit.best_epoch,
                             directory)
    t = _stage(timings, "refit", t)

    if held_out is not None:
        # The cross-fitted model's own out-of-fold scores at now, rings held out whole.
        combiner = fit_combiner(held_out.components, held_out.y)
        val_metrics["served"] = metric_row(held_out.y, combiner.apply(held_out.components))
        combined_on = "rings held out at now (leave-group-out)"
    else:
        val = {"model": val_scores[winner], "propagation": prop1[split.val],
               "heuristics": None if heur1 is None or not combine_heur else heur1[split.val]}
        combiner = fit_combiner(val, y_val)
        val_metrics["served"] = metric_row(y_val, combiner.apply(
            {k: v for k, v in val.items() if v is not None}))
        combined_on = "time-split validation"
    test_scores["propagation"] = prop2[split.test]
    if heur2 is not None:
        test_scores["heuristics"] = heur2[split.test]
    test_scores["served"] = combiner.apply(
        {"model": test_scores[winner], "propagation": prop2[split.test],
         **({} if heur2 is None or not combine_heur else {"heuristics": heur2[split.test]})})
    t = _stage(timings, "combination", t)

    y_test = split.y_test[split.test]
    metrics = {name: metric_row(y_test, s) for name, s in test_scores.items()}
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
        "gnn": {"config": opt.gnn.as_dict(),
                "fit": {k: v for k, v in asdict(fit).items() if k != "history"},
                "history": fit.history},
        "lightgbm": {"folds": opt.folds, "repeats": opt.repeats, "rounds": cf.rounds,
                     "pu_exclude": opt.pu_exclude},
        "served": {"model": winner, "chosen_on": "validation PR-AUC",
                   "validation_informative": informative,
                   "validation_proximity": proximity, **refit,
                   "combiner": combiner.as_dict(), "combiner_fitted_on": combined_on},
        "metrics": {"test": metrics, "val": val_metrics},
        "use_signals": opt.use_signals,
        "notes": {"heuristics": "noisy-OR of heuristic scores run as of each cut-off"
                  if heur2 is not None else "heuristics not run",
                  "served": "test metrics of 'served' use the T1 models and the "
                            "combination fitted on validation; the registered model is "
                            "the winner refit on every label known now"},
        "timings_s": timings,
    }
    write_manifest(directory, manifest)
    log.info("registered model %s (served: %s): test PR-AUC %s", version, winner,
             {k: round(v["pr_auc"], 4) if v["pr_auc"] is not None else None
              for k, v in metrics.items()})
    return manifest


@dataclass
class HeldOut:
    components: dict[str, np.ndarray | None]
    y: np.ndarray


def _refit(snapshot: TimedSnapshot, end: float, winner: str, opt: TrainOptions,
           tab_names: list[str], gnn_names: list[str], best_epoch: int,
           directory: Path) -> tuple[dict[str, Any], HeldOut | None]:
    """The winner fitted again on every label known at ``end``; saved in ``directory``.
    For the cross-fitted LightGBM also the held-out components at ``end`` that the risk
    combination is fitted on."""
    sig_now = opt.signals_at(end) if opt.signals_at is not None else None
    signals = feature_signals(sig_now) if opt.use_signals else None
    view = cutoff_view(snapshot, end, opt.window_days, signals)
    known = view.known
    exists = np.ones(known.size, dtype=bool)
    out: dict[str, Any] = {"labels": int(known.sum()), "as_of": end}
    held = None
    if winner in ("lightgbm", "ensemble"):
        ids = _ids(snapshot)
        es = view.snap.edge(("Account", "TRANSFERRED", "Account"))
        empty = np.zeros(0, dtype=np.int64)
        src, dst = (es.src, es.dst) if es is not None else (empty, empty)

        def fold(seed: int) -> np.ndarray:
            return group_folds(ids, known, src, dst, opt.folds, seed)

        # Propagation is held out by whole components: with a web of known rings split
        # over folds, every held-out member still had its ring-mates as seeds, and the
        # combination learned to trust propagation more than a new ring would justify
        # (AMLSim: the model alone AP 0.85, the combination 0.77).
        ring_fold = group_folds(ids, known, src, dst, opt.evidence_folds, opt.gnn.seed,
                                split_webs=False)
        x = view.tabular(tab_names)
        cf, left_out = fit_pu(x, known.astype(np.int8), exists, ids, exclude=opt.pu_exclude,
                              folds=opt.folds, repeats=opt.repeats, seed=opt.gnn.seed,
                              threads=opt.threads, assign=fold)
        out["pu_left_out"] = int(left_out.size)
        cf.save(directory / "lightgbm")
        free = feature_signals(sig_now)
        # For the ensemble too the combination is fitted on the LightGBM's held-out scores:
        # the refit GNN has none (it trained on every known account).
        held = HeldOut({"model": cf.score(x, ids, fold),
                        "propagation": held_out_propagation(view.snap, end, ring_fold,
                                                            opt.evidence_folds),
                        "heuristics": None if opt.use_signals
                        else noisy_or(free, known.size)}, known.astype(np.int8))
    if winner in ("gnn", "ensemble"):
        std = fit_standardiser(view, gnn_names, exists)
        data = gnn_data(view, gnn_names, std)
        cfg = GnnConfig(**{**opt.gnn.as_dict(), "epochs": max(best_epoch, opt.gnn.eval_every)})
        model = new_model(cfg, data)
        fit_gnn(model, data, known, exists, None, None, cfg, progress=opt.progress)
        arch = save_gnn(model, data, cfg, directory / "gnn.pt")
        out.update({"epochs": cfg.epochs, "standardiser": std.as_dict(), "architecture": arch,
                    "config": cfg.as_dict()})
    return out, held


def candidate_scores(snapshot: TimedSnapshot, directory: Path, *,
                     cutoff: float | None = None, threads: int = 2,
                     signals_at: SignalSource | None = None) -> dict[str, np.ndarray]:
    """Each model the registered version serves (one, or both for the ensemble), scored
    for every account as of ``cutoff`` (default: after the last event)."""
    torch.set_num_threads(threads)
    manifest = read_manifest(directory)
    when = cutoff if cutoff is not None else snapshot.latest_time() + 1.0
    signals = None
    if manifest.get("use_signals"):
        if signals_at is None:
            raise GnnError("this model uses heuristic signals: scoring needs them too")
        signals = feature_signals(signals_at(when))
    view = cutoff_view(snapshot, when, float(manifest["window_days"]), signals)
    served = manifest["served"]
    parts: dict[str, np.ndarray] = {}
    if served["model"] in ("lightgbm", "ensemble"):
        cf = RepeatedCrossFit.load(directory / "lightgbm")
        parts["lightgbm"] = cf.score(view.tabular(list(manifest["features"]["tabular"])),
                                     _ids(snapshot))
    if served["model"] in ("gnn", "ensemble"):
        std = Standardiser.from_dict(served["standardiser"])
        data = gnn_data(view, list(manifest["features"]["gnn"]), std)
        model, cfg = load_gnn(directory / "gnn.pt", {"config": served["config"],
                                                     "architecture": served["architecture"]})
        parts["gnn"] = _gnn_scores(model, data, view.known, cfg)
    return parts


def score_snapshot(snapshot: TimedSnapshot, directory: Path, *, cutoff: float | None = None,
                   threads: int = 2, signals_at: SignalSource | None = None) -> ScoreResult:
    """The served model's score for every account as of ``cutoff`` (default: after the
    last event); the ensemble is the rank mean of its two models."""
    t0 = time.perf_counter()
    manifest = read_manifest(directory)
    when = cutoff if cutoff is not None else snapshot.latest_time() + 1.0
    parts = candidate_scores(snapshot, directory, cutoff=when, threads=threads,
                             signals_at=signals_at)
    scores = rank_mean(*parts.values()) if len(parts) > 1 else next(iter(parts.values()))
    return ScoreResult(list(snapshot.nodes["Account"]), scores, str(manifest["version"]), when,
                       time.perf_counter() - t0)


SCORE_QUERY = statement("gnn/write_scores")


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

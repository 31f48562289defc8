"""Baselines the GNN must beat, each scoring accounts as of a cut-off:

- ``lightgbm``: gradient boosting on the same tabular features (every group), i.e. the
  best the AFC gets without message passing;
- ``propagation``: personalised PageRank from the seeds known at the cut-off
  (`gnn.propagation`), no learning;
- ``heuristics``: the sum of the Cypher heuristics' scores per account, no learning.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from gnn.propagation import (
    PropagationConfig,
    build_propagation_graph,
    normalise_scores,
    personalized_pagerank,
    seed_vector,
    seeds_from_snapshot,
)
from gnn.snapshot.timed import TimedSnapshot

log = logging.getLogger(__name__)

LGBM_PARAMS: dict[str, Any] = {
    "n_estimators": 600,
    "learning_rate": 0.03,
    "num_leaves": 31,
    "min_child_samples": 20,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "verbose": -1,
}


def fit_lightgbm(x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray,
                 y_val: np.ndarray, seed: int = 0, early_stopping: int = 50,
                 threads: int = 1) -> Any:
    """A LGBMClassifier with early stopping on validation average precision."""
    import lightgbm as lgb

    pos = max(float(y_train.sum()), 1.0)
    model = lgb.LGBMClassifier(**LGBM_PARAMS, random_state=seed, n_jobs=threads,
                               scale_pos_weight=float(len(y_train) - pos) / pos)
    model.fit(x_train, y_train, eval_X=x_val, eval_y=y_val, eval_metric="average_precision",
              callbacks=[lgb.early_stopping(early_stopping, verbose=False)])
    log.info("lightgbm: best iteration %s", model.best_iteration_)
    return model


def lightgbm_scores(model: Any, x: np.ndarray) -> np.ndarray:
    return np.asarray(model.predict_proba(x)[:, 1], dtype=np.float64)


def save_lightgbm(model: Any, path: Path) -> None:
    model.booster_.save_model(str(path))


def load_lightgbm(path: Path) -> Any:
    import lightgbm as lgb

    return lgb.Booster(model_file=str(path))


def booster_scores(booster: Any, x: np.ndarray) -> np.ndarray:
    return np.asarray(booster.predict(x), dtype=np.float64)


def propagation_scores(snap_cut: TimedSnapshot, cutoff: float,
                       config: PropagationConfig | None = None) -> np.ndarray:
    """Per-account propagated risk in [0, 1] from the seeds known at ``cutoff``."""
    config = config or PropagationConfig()
    graph = build_propagation_graph(snap_cut, config, as_of=cutoff)
    seeds = seed_vector(graph, seeds_from_snapshot(snap_cut, config, as_of=cutoff))
    result = personalized_pagerank(graph, seeds, config)
    risk = normalise_scores(result.scores, graph.degree, config, seeds)
    return np.asarray(graph.split(risk)["Account"], dtype=np.float64)


def held_out_propagation(snap_cut: TimedSnapshot, cutoff: float, fold: np.ndarray,
                         folds: int, config: PropagationConfig | None = None) -> np.ndarray:
    """Per account, propagated risk with the seeds on its own fold's accounts removed:
    what propagation says of a ring none of whose members is known (the validation of
    the risk combination, `gnn.models.pipeline`). One graph, one PPR run per fold."""
    config = config or PropagationConfig()
    graph = build_propagation_graph(snap_cut, config, as_of=cutoff)
    seeds = seeds_from_snapshot(snap_cut, config, as_of=cutoff)
    accounts = snap_cut.index("Account")
    out = np.zeros(len(snap_cut.nodes["Account"]))
    for k in range(folds):
        kept = [sd for sd in seeds if sd.node_type != "Account"
                or fold[accounts[sd.node_id]] != k]
        vec = seed_vector(graph, kept)
        result = personalized_pagerank(graph, vec, config)
        risk = np.asarray(graph.split(normalise_scores(result.scores, graph.degree, config,
                                                       vec))["Account"], dtype=np.float64)
        rows = fold == k
        out[rows] = risk[rows]
    return out


def heuristic_scores(signals: dict[str, np.ndarray] | None, n: int) -> np.ndarray | None:
    """Sum of heuristic scores per account, or None when no signals are available."""
    if not signals:
        return None
    total = np.zeros(n)
    for s in signals.values():
        total += np.asarray(s, dtype=np.float64)
    return total

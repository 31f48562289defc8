"""Which candidate the served risk uses, and whether validation can tell.

Validation positives are the accounts that became known in [T1, T2). In a world where
reports arrive ring by ring, nearly all of them sit next to an account already known at
T1: on the generated world (20k accounts, seed 3), 63 of 65 were one hop from one. Such a
validation rewards closeness to known fraud, which a GNN reading its neighbours learns
and propagation already carries into the served risk, and says nothing about finding a
ring nobody reported yet, which is what the AFC needs. (Links as known now: as of T1,
27 of the 65 were one hop from known fraud; the links that later made the others known
were not there yet.) There the GNN won validation
(PR-AUC 0.096 against LightGBM's 0.045) and ranked the hidden ring members at AP 0.32
against LightGBM's 0.75; among the validation accounts one hop from known fraud, every
candidate was at chance (ROC-AUC 0.48-0.53).

So validation counts as informative only when it tells the candidates from chance among
accounts equally near to known fraud: ROC-AUC within proximity strata (one hop from a
known account, or not), weighted by their positives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gnn.features.proximity import known_neighbours
from gnn.models.metrics import roc_auc
from gnn.snapshot.timed import TimedSnapshot


def near_known(snap: TimedSnapshot, known: np.ndarray) -> np.ndarray:
    """Per account: one hop from a known account (a transfer either way, the same holder
    or the same device), known accounts excluded."""
    known = np.asarray(known, dtype=bool)
    counts = known_neighbours(snap, known).values()
    return np.logical_or.reduce([c > 0 for c in counts]) & ~known


def _chance_se(pos: int, neg: int) -> float:
    # Hanley-McNeil standard error of the ROC-AUC of a chance ranking.
    return float(np.sqrt((pos + neg + 1) / (12.0 * pos * neg)))


def stratified_roc(y: np.ndarray, scores: np.ndarray, strata: np.ndarray
                   ) -> tuple[float, float] | None:
    """ROC-AUC within each stratum (both classes present), weighted by its positives,
    and the chance-ranking standard error of that weighted mean; None if no stratum
    holds both classes."""
    y = np.asarray(y).astype(bool)
    parts: list[tuple[int, float, float]] = []
    for s in np.unique(strata):
        m = strata == s
        pos, neg = int(y[m].sum()), int((~y[m]).sum())
        if pos and neg:
            parts.append((pos, roc_auc(y[m], scores[m]), _chance_se(pos, neg)))
    if not parts:
        return None
    w = np.array([p for p, _, _ in parts], dtype=np.float64)
    w /= w.sum()
    auc = float(np.dot(w, [a for _, a, _ in parts]))
    se = float(np.sqrt(np.dot(w**2, [e**2 for _, _, e in parts])))
    return auc, se


def choose_model(val_metrics: dict[str, dict[str, Any]], prevalence: float,
                 lift: float = 2.0, z: float = 3.0,
                 beyond_proximity: dict[str, tuple[float, float] | None] | None = None
                 ) -> tuple[str, bool]:
    """The served model: the best on validation PR-AUC when validation tells the
    candidates from chance, i.e. the best one's ROC-AUC is ``z`` standard errors above
    0.5 (the Hanley-McNeil error of a chance ranking with that many positives and
    negatives) and its PR-AUC reaches ``lift`` times the prevalence. With
    ``beyond_proximity`` (candidate -> `stratified_roc`), the ROC-AUC and its error are
    those within proximity strata (the module's docstring says why). Otherwise the
    cross-fitted LightGBM, whose out-of-fold scores need no validation to be honest and
    are what the risk combination is then fitted on. (When labels arrive with little
    behaviour before them, as in AMLSim, features as of T1 describe nobody yet: with 14
    validation positives there, the GNN won at 2x the prevalence and ranked the hidden
    rings at AP 0.29, the cross-fitted LightGBM at 0.64.)"""
    best = max(val_metrics, key=lambda k: val_metrics[k]["pr_auc"] or 0.0)
    row = val_metrics[best]
    pos = int(row.get("positives") or 0)
    neg = int(row.get("accounts") or 0) - pos
    if pos == 0 or neg == 0 or prevalence <= 0:
        return "lightgbm", False
    auc, se = float(row.get("roc_auc") or 0.0), _chance_se(pos, neg)
    if beyond_proximity is not None:
        strat = beyond_proximity.get(best)
        if strat is None:
            return "lightgbm", False
        auc, se = strat
    informative = auc >= 0.5 + z * se and (row.get("pr_auc") or 0.0) >= lift * prevalence
    return (best if informative else "lightgbm"), informative

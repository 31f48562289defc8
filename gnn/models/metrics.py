"""Ranking metrics for fraud scoring: pure functions of (labels, scores).

Labels are 0/1 (1 = fraud); a higher score means more suspicious. Analysts work a
queue from the top, so besides the AUCs we report precision in the top k and the
recall reached while flagging at most 1 % of legitimate accounts.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

from gnn.models.errors import ModelError


def _prepare(y_true: ArrayLike, scores: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true).astype(np.int64).ravel()
    s = np.asarray(scores, dtype=np.float64).ravel()
    if y.shape != s.shape:
        raise ModelError(f"labels {y.shape} and scores {s.shape} differ in length")
    if y.size and not np.isin(y, (0, 1)).all():
        raise ModelError("labels must be 0/1")
    return y, s


def _both_classes(y: np.ndarray, metric: str) -> None:
    if y.size == 0 or y.min() == y.max():
        raise ModelError(f"{metric} needs both classes among the labels")


def roc_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Area under the ROC curve, in [0, 1]."""
    y, s = _prepare(y_true, scores)
    _both_classes(y, "ROC-AUC")
    return float(roc_auc_score(y, s))


def pr_auc(y_true: ArrayLike, scores: ArrayLike) -> float:
    """Average precision (the step-wise area under the precision-recall curve)."""
    y, s = _prepare(y_true, scores)
    _both_classes(y, "PR-AUC")
    return float(average_precision_score(y, s))


def precision_at_k(y_true: ArrayLike, scores: ArrayLike, k: int) -> float:
    """Share of positives among the ``k`` highest scores (ties broken by position).

    With fewer than ``k`` items, the whole list is the top.
    """
    if k <= 0:
        raise ModelError(f"k must be positive, got {k}")
    y, s = _prepare(y_true, scores)
    if y.size == 0:
        raise ModelError("precision@k of an empty list")
    top = np.argsort(-s, kind="stable")[:k]
    return float(y[top].mean())


def recall_at_fpr(y_true: ArrayLike, scores: ArrayLike, max_fpr: float = 0.01) -> float:
    """Best recall among thresholds whose false-positive rate is at most ``max_fpr``."""
    if not 0.0 <= max_fpr <= 1.0:
        raise ModelError(f"max_fpr must be in [0, 1], got {max_fpr}")
    y, s = _prepare(y_true, scores)
    _both_classes(y, "recall at FPR")
    fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
    return float(tpr[fpr <= max_fpr + 1e-12].max())


def ranking_report(y_true: ArrayLike, scores: ArrayLike, k: int = 100) -> dict[str, float]:
    """All the metrics above: roc_auc, pr_auc, precision_at_k, recall_at_1pct_fpr."""
    return {
        "roc_auc": roc_auc(y_true, scores),
        "pr_auc": pr_auc(y_true, scores),
        "precision_at_k": precision_at_k(y_true, scores, k),
        "recall_at_1pct_fpr": recall_at_fpr(y_true, scores, 0.01),
    }

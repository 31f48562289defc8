"""Metric rows for one scored window (pure): the numbers every model and baseline get."""

from __future__ import annotations

from typing import Any

import numpy as np

from gnn.models.metrics import pr_auc, precision_at_k, recall_at_fpr, roc_auc


def metric_row(y: np.ndarray, scores: np.ndarray) -> dict[str, Any]:
    """PR-AUC, ROC-AUC, precision@100/@1000, recall at 1 % FPR; None where undefined."""
    y = np.asarray(y).astype(np.int64)
    s = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=-np.inf)
    s = np.where(np.isfinite(s), s, np.nanmin(np.where(np.isfinite(s), s, np.inf), initial=0.0) - 1)
    row: dict[str, Any] = {"accounts": int(y.size), "positives": int(y.sum())}
    both = y.size > 0 and 0 < y.sum() < y.size
    row["pr_auc"] = pr_auc(y, s) if both else None
    row["roc_auc"] = roc_auc(y, s) if both else None
    row["recall_at_1pct_fpr"] = recall_at_fpr(y, s, 0.01) if both else None
    for k in (100, 1000):
        row[f"precision_at_{k}"] = precision_at_k(y, s, k) if y.size else None
    row["prevalence"] = float(y.mean()) if y.size else None
    return row

"""Metrics on hand-computed cases."""

import numpy as np
import pytest

from gnn.models.errors import ModelError
from gnn.models.metrics import pr_auc, precision_at_k, ranking_report, recall_at_fpr, roc_auc


def test_perfect_and_inverted_rankings() -> None:
    y = [0, 0, 1, 0, 1, 1]
    perfect = [0.1, 0.2, 0.9, 0.3, 0.8, 0.7]
    inverted = [-s for s in perfect]
    assert roc_auc(y, perfect) == 1.0
    assert pr_auc(y, perfect) == 1.0
    assert roc_auc(y, inverted) == 0.0
    # Inverted: positives at ranks 4, 5, 6 -> AP = (1/4 + 2/5 + 3/6) / 3.
    assert pr_auc(y, inverted) == pytest.approx((1 / 4 + 2 / 5 + 3 / 6) / 3)


def test_roc_auc_counts_ordered_pairs() -> None:
    # Pairs (pos, neg): pos 0.8 beats negs 0.1, 0.5 but not 0.9; pos 0.6 beats 0.1, 0.5.
    y = [1, 1, 0, 0, 0]
    s = [0.8, 0.6, 0.1, 0.5, 0.9]
    assert roc_auc(y, s) == pytest.approx(4 / 6)


def test_precision_at_k() -> None:
    y = [1, 0, 1, 1, 0, 0]
    s = [0.9, 0.8, 0.7, 0.1, 0.2, 0.3]  # ranking: 1, 0, 1, 0(0.3), 0(0.2), 1(0.1)
    assert precision_at_k(y, s, 1) == 1.0
    assert precision_at_k(y, s, 2) == 0.5
    assert precision_at_k(y, s, 3) == pytest.approx(2 / 3)
    assert precision_at_k(y, s, 5) == pytest.approx(2 / 5)
    assert precision_at_k(y, s, 100) == pytest.approx(3 / 6)  # k beyond the list: all of it


def test_recall_at_one_percent_fpr() -> None:
    # 200 negatives, 10 positives. 2 negatives (1 %) outscore everything; 6 positives
    # come next, then a third negative (1.5 % FPR), then the other 4 positives.
    neg = np.concatenate([[10.0, 9.0, 5.0], np.zeros(197)])
    pos = np.array([8.0, 7.9, 7.8, 7.7, 7.6, 7.5, 4.0, 3.0, 2.0, 1.0])
    y = np.concatenate([np.zeros(200), np.ones(10)])
    s = np.concatenate([neg, pos])
    assert recall_at_fpr(y, s, 0.01) == pytest.approx(0.6)
    assert recall_at_fpr(y, s, 0.015) == pytest.approx(1.0)
    assert recall_at_fpr(y, s, 0.0) == 0.0


def test_report_keys_and_errors() -> None:
    report = ranking_report([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], k=2)
    assert report == {"roc_auc": 1.0, "pr_auc": 1.0, "precision_at_k": 1.0,
                      "recall_at_1pct_fpr": 1.0}
    with pytest.raises(ModelError):
        roc_auc([1, 1], [0.3, 0.4])
    with pytest.raises(ModelError):
        precision_at_k([0, 1], [0.1], 1)
    with pytest.raises(ModelError):
        precision_at_k([0, 1], [0.1, 0.2], 0)
    with pytest.raises(ModelError):
        pr_auc([0, 2], [0.1, 0.2])

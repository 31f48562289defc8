"""Cross-fitting: every account is scored by a booster that never trained on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gnn.crossfit import CrossFit, fit_crossfit, fold_of, group_folds
from gnn.metrics import roc_auc


def test_folds_are_stable_per_id_and_balanced() -> None:
    ids = [f"acc_{i}" for i in range(3000)]
    f = fold_of(ids, 5)
    assert np.array_equal(f, fold_of(list(ids), 5))
    assert np.array_equal(f[:10], fold_of(ids[:10], 5))  # independent of the other ids
    assert np.bincount(f, minlength=5).min() > 500
    assert not np.array_equal(f, fold_of(ids, 5, seed=1))


def test_out_of_fold_scores_do_not_memorise_noise(tmp_path: Path) -> None:
    """Labels that are pure noise: a model scored on its own training rows ranks its
    positives high (memorised); out-of-fold scores must be at chance."""
    rng = np.random.default_rng(0)
    n = 2000
    x = rng.normal(size=(n, 8))
    y = (rng.random(n) < 0.1).astype(np.int8)
    ids = np.array([f"a{i}" for i in range(n)])
    cf = fit_crossfit(x, y, np.ones(n, dtype=bool), ids, folds=4, threads=1, rounds=150)
    oof = cf.score(x, ids)
    assert abs(roc_auc(y, oof) - 0.5) < 0.08
    in_sample = np.mean([b.predict(x) for b in cf.boosters], axis=0)
    assert roc_auc(y, in_sample) > 0.7  # what cross-fitting protects against

    cf.save(tmp_path / "m")
    again = CrossFit.load(tmp_path / "m")
    np.testing.assert_allclose(again.score(x, ids), oof)


def test_signal_is_learned() -> None:
    rng = np.random.default_rng(1)
    n = 2000
    x = rng.normal(size=(n, 4))
    y = (x[:, 0] + 0.3 * rng.normal(size=n) > 1.5).astype(np.int8)
    ids = [str(i) for i in range(n)]
    cf = fit_crossfit(x, y, np.ones(n, dtype=bool), ids, folds=3, threads=1, rounds=100)
    assert roc_auc(y, cf.score(x, ids)) > 0.9


def test_group_folds_keep_a_known_ring_together() -> None:
    ids = [f"acc_{i:03d}" for i in range(300)]
    known = np.zeros(300, dtype=bool)
    rings = [list(range(10 * r, 10 * r + 6)) for r in range(8)]  # 8 known rings of 6
    src, dst = [], []
    for ring in rings:
        known[ring] = True
        src += ring
        dst += ring[1:] + ring[:1]
    src += list(range(100, 299))  # unknown accounts paying each other
    dst += list(range(101, 300))
    fold = group_folds(ids, known, np.array(src), np.array(dst), folds=4)
    for ring in rings:
        assert len(set(fold[ring].tolist())) == 1
    assert len({int(fold[r[0]]) for r in rings}) > 1  # rings spread over the folds
    np.testing.assert_array_equal(fold[~known], fold_of(ids, 4)[~known])

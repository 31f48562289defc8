"""Cross-fitting: every account is scored by a booster that never trained on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gnn.models.crossfit import (
    CrossFit,
    RepeatedCrossFit,
    fit_crossfit,
    fit_pu,
    fit_repeated,
    fold_of,
    group_folds,
)
from gnn.models.metrics import roc_auc


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


def test_a_web_of_known_rings_is_split_by_id_not_put_in_one_fold() -> None:
    """Known rings that pay each other form one component; kept whole it took nearly
    every known account into one fold (IBM AMLSim: 197 of 210), and that fold's booster
    learned from almost no positives."""
    ids = [f"acc_{i:03d}" for i in range(300)]
    known = np.zeros(300, dtype=bool)
    web = list(range(0, 60))  # 60 known accounts in one chain
    known[web] = True
    small = [200, 201, 202]  # and one small ring apart
    known[small] = True
    src = np.array(web[:-1] + small)
    dst = np.array(web[1:] + small[1:] + small[:1])
    fold = group_folds(ids, known, src, dst, folds=4)
    np.testing.assert_array_equal(fold[web], fold_of(ids, 4)[web])
    assert np.bincount(fold[web], minlength=4).min() > 5  # spread over every fold
    assert len(set(fold[small].tolist())) == 1  # a ring that fits a fold stays whole
    # Holding out evidence (propagation's seeds) keeps the web whole all the same.
    evidence = group_folds(ids, known, src, dst, folds=4, split_webs=False)
    assert len(set(evidence[web].tolist())) == 1


def test_rounds_are_chosen_out_of_fold_where_more_boosting_memorises() -> None:
    """Few positives, a weak signal and many noise columns: boosting to the end learns the
    known positives by heart, so the rounds used are those that rank held-out positives
    best (the code used to boost a fixed 300 rounds whatever the data)."""
    rng = np.random.default_rng(3)
    n = 3000
    x = rng.normal(size=(n, 30))
    y = (x[:, 0] + 1.5 * rng.normal(size=n) > 3.2).astype(np.int8)
    ids = [f"a{i}" for i in range(n)]
    cf = fit_crossfit(x, y, np.ones(n, dtype=bool), ids, folds=4, threads=1, rounds=400)
    assert cf.curve and cf.rounds < 400
    assert cf.curve[cf.rounds] == max(cf.curve.values()) > cf.curve[400]
    full = CrossFit(cf.folds, cf.seed, cf.boosters, 400)
    from gnn.models.metrics import pr_auc

    assert pr_auc(y, cf.score(x, ids)) > pr_auc(y, full.score(x, ids))


def test_rounds_stay_when_held_out_folds_cannot_tell() -> None:
    n = 400
    x = np.random.default_rng(4).normal(size=(n, 3))
    y = np.zeros(n, dtype=np.int8)
    y[:3] = 1
    fold = np.zeros(n, dtype=np.int64)
    fold[200:] = 1  # all three positives in fold 0: nothing to compare across folds
    cf = fit_crossfit(x, y, np.ones(n, dtype=bool), [str(i) for i in range(n)], folds=2,
                      threads=1, rounds=50, fold=fold)
    assert cf.rounds == 50 and cf.curve == {}


def test_repeated_members_use_their_own_folds_and_stay_out_of_fold(tmp_path: Path) -> None:
    """Every member scores each account by a booster that never saw it: with noise labels
    the averaged score is still at chance, while the members' folds differ."""
    rng = np.random.default_rng(5)
    n = 2000
    x = rng.normal(size=(n, 8))
    y = (rng.random(n) < 0.1).astype(np.int8)
    ids = np.array([f"a{i}" for i in range(n)])
    rcf = fit_repeated(x, y, np.ones(n, dtype=bool), ids, folds=4, repeats=3, threads=1,
                       rounds=100)
    assert len(rcf.members) == 3 and len({m.seed for m in rcf.members}) == 3
    f0, f1 = (fold_of(ids, 4, m.seed) for m in rcf.members[:2])
    assert (f0 != f1).mean() > 0.5
    s = rcf.score(x, ids)
    assert abs(roc_auc(y, s) - 0.5) < 0.08
    np.testing.assert_allclose(s, np.mean([m.score(x, ids) for m in rcf.members], axis=0))

    rcf.save(tmp_path / "r")
    np.testing.assert_allclose(RepeatedCrossFit.load(tmp_path / "r").score(x, ids), s)


def test_repeated_scores_with_the_assignment_they_trained_on() -> None:
    """Held-out scores of training rows need the members' own (group) folds: scored by
    the id folds instead, a known ring's members meet boosters that trained on them."""
    rng = np.random.default_rng(6)
    n = 1200
    x = rng.normal(size=(n, 6))
    y = (rng.random(n) < 0.1).astype(np.int8)
    ids = [f"a{i}" for i in range(n)]

    def assign(seed: int) -> np.ndarray:
        return (np.arange(n) + seed) % 3

    rcf = fit_repeated(x, y, np.ones(n, dtype=bool), ids, folds=3, repeats=2, threads=1,
                       rounds=150, assign=assign)
    held = rcf.score(x, ids, assign)
    assert abs(roc_auc(y, held) - 0.5) < 0.08
    assert roc_auc(y, rcf.score(x, ids)) > roc_auc(y, held) + 0.1  # id folds: seen rows


def test_a_single_cross_fit_loads_as_one_member(tmp_path: Path) -> None:
    """Models registered before repeats existed keep scoring."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(300, 3))
    y = (x[:, 0] > 1).astype(np.int8)
    ids = [str(i) for i in range(300)]
    cf = fit_crossfit(x, y, np.ones(300, dtype=bool), ids, folds=2, threads=1, rounds=20)
    cf.save(tmp_path / "old")
    again = RepeatedCrossFit.load(tmp_path / "old")
    assert len(again.members) == 1
    np.testing.assert_allclose(again.score(x, ids), cf.score(x, ids))


def _pu_world(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Fraud on a feature signal; a third of it known, the rest hidden among the
    unlabelled (positive-unlabelled labels, as the AFC's)."""
    rng = np.random.default_rng(seed)
    n = 3000
    x = rng.normal(size=(n, 5))
    fraud = x[:, 0] + 0.5 * x[:, 1] + 0.4 * rng.normal(size=n) > 2.0
    known = fraud & (rng.random(n) < 0.33)
    return x, fraud, known.astype(np.int8), [f"a{i}" for i in range(n)]


def test_pu_refit_leaves_out_the_first_fits_best_ranked_unlabelled_only() -> None:
    x, _, y, ids = _pu_world(3)
    rows = np.ones(y.size, dtype=bool)
    kw = {"folds": 4, "repeats": 1, "threads": 1, "rounds": 60, "seed": 0}
    first = fit_repeated(x, y, rows, ids, **kw)
    same, none_left = fit_pu(x, y, rows, ids, exclude=0.0, **kw)
    assert none_left.size == 0
    np.testing.assert_allclose(same.score(x, ids), first.score(x, ids))
    second, left = fit_pu(x, y, rows, ids, exclude=1.0, **kw)
    assert left.size == int(y.sum()) and not y[left].any()
    s = first.score(x, ids)
    unlabelled = np.flatnonzero(y == 0)
    assert set(left.tolist()) == set(unlabelled[np.argsort(-s[unlabelled])[:left.size]].tolist())
    # Left out of training, still scored (out of fold) like every other account.
    assert np.isfinite(second.score(x, ids)[left]).all()


def test_pu_refit_leaves_out_at_most_a_tenth_of_the_unlabelled() -> None:
    x, _, y, ids = _pu_world(4)
    rows = np.ones(y.size, dtype=bool)
    _, left = fit_pu(x, y, rows, ids, exclude=100.0, folds=3, repeats=1, threads=1,
                     rounds=30)
    assert left.size == int((y == 0).sum()) // 10

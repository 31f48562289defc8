"""Model choice: validation that only measures closeness to known fraud picks nothing."""

from __future__ import annotations

import numpy as np

from gnn.models.selection import choose_model, near_known, stratified_roc
from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.timed import TimedSnapshot


def _snap() -> TimedSnapshot:
    s = TimedSnapshot(data_hash="t")
    s.nodes = {"Account": [f"a{i}" for i in range(7)], "Person": ["p0", "p1"],
               "Device": ["d0"]}
    s.edges = {
        ("Account", "TRANSFERRED", "Account"): EdgeSet(np.array([1, 0]), np.array([0, 2])),
        ("Person", "HOLDS", "Account"): EdgeSet(np.array([0, 0, 1]), np.array([0, 3, 5])),
        ("Account", "USED", "Device"): EdgeSet(np.array([0, 4]), np.array([0, 0])),
    }
    return s


def test_near_known_is_one_hop_by_money_holder_or_device() -> None:
    known = np.array([1, 0, 0, 0, 0, 0, 0], dtype=bool)
    near = near_known(_snap(), known)
    # a1 paid a0, a0 paid a2, a3 has a0's holder, a4 used a0's device; a5, a6 are apart.
    assert near.tolist() == [False, True, True, True, True, False, False]


def test_stratified_roc_ignores_what_proximity_alone_explains() -> None:
    rng = np.random.default_rng(0)
    near = np.r_[np.ones(400, bool), np.zeros(4000, bool)]
    y = np.r_[rng.random(400) < 0.15, np.zeros(4000, bool)]
    y[400] = True  # one positive far from known fraud
    proximity_only = near.astype(float) + rng.random(near.size) * 0.01
    whole = stratified_roc(y, proximity_only, np.zeros(near.size, int))
    within = stratified_roc(y, proximity_only, near)
    assert whole is not None and within is not None
    assert whole[0] > 0.9  # on the whole validation it looks like a strong model
    assert abs(within[0] - 0.5) < 3 * within[1]  # within strata: chance
    assert stratified_roc(np.zeros(5, bool), np.arange(5.0), np.zeros(5, int)) is None


def test_choice_falls_back_when_validation_is_informative_only_by_proximity() -> None:
    clear = {"lightgbm": {"pr_auc": 0.20, "roc_auc": 0.85, "accounts": 10_000, "positives": 60},
             "gnn": {"pr_auc": 0.35, "roc_auc": 0.90, "accounts": 10_000, "positives": 60}}
    assert choose_model(clear, 0.006) == ("gnn", True)
    at_chance = {"gnn": (0.53, 0.037), "lightgbm": (0.48, 0.037)}
    assert choose_model(clear, 0.006, beyond_proximity=at_chance) == ("lightgbm", False)
    telling = {"gnn": (0.75, 0.037), "lightgbm": (0.70, 0.037)}
    assert choose_model(clear, 0.006, beyond_proximity=telling) == ("gnn", True)
    assert choose_model(clear, 0.006, beyond_proximity={"gnn": None}) == ("lightgbm", False)

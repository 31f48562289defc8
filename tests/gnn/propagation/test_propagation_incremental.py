"""Incremental pushes agree with a full recompute within the documented bound."""

from __future__ import annotations

import numpy as np
import pytest

from gnn.propagation import (
    IncrementalPropagation,
    PropagationConfig,
    PropagationError,
    Seed,
    build_propagation_graph,
    personalized_pagerank,
)
from gnn.propagation.synthetic import synthetic_snapshot

EXACT = PropagationConfig(tol=1e-13, max_iter=2000)


@pytest.fixture(scope="module")
def world():
    snap = synthetic_snapshot(3_000, 20_000, seed=7)
    graph = build_propagation_graph(snap, EXACT)
    return snap, graph


def full(graph, seeds, cfg=EXACT):
    res = personalized_pagerank(graph, seeds, cfg)
    assert res.converged
    return res.scores


def assert_within_bound(state, exact):
    """|PPR(s) - p| <= eps * deg node by node (push.py), plus power-iteration slack."""
    bound = state.eps * state.graph.degree + 1e-10
    assert np.all(np.abs(exact - state.scores) <= bound)


def test_push_from_nothing_matches_power_iteration(world):
    _, g = world
    rng = np.random.default_rng(0)
    s = np.zeros(g.num_nodes)
    s[rng.choice(g.num_nodes, 40, replace=False)] = rng.choice([1.0, 0.3], 40)
    state = IncrementalPropagation(g, s, PropagationConfig(push_eps=1e-9))
    assert_within_bound(state, full(g, s))


def test_new_seeds_one_by_one_agree_with_full_recompute(world):
    _, g = world
    rng = np.random.default_rng(1)
    s = np.zeros(g.num_nodes)
    s[rng.choice(g.num_nodes, 30, replace=False)] = 1.0
    state = IncrementalPropagation(g, s, EXACT, full(g, s))
    before = state.scores.copy()
    acc = g.type_slice("Account")
    targets = rng.integers(acc.start, acc.stop, 25)
    changed = set()
    for idx in targets.tolist():
        stats = state.set_seed_weight(idx, 1.0)
        changed.update(stats.changed.tolist())
    expected_seeds = s.copy()
    expected_seeds[targets] = 1.0
    assert np.array_equal(state.seeds, expected_seeds)
    exact = full(g, expected_seeds)
    assert_within_bound(state, exact)
    rel_l1 = np.abs(exact - state.scores).sum() / exact.sum()
    assert rel_l1 < 0.05
    # Nodes that were never pushed kept their scores bit for bit.
    untouched = np.setdiff1d(np.arange(g.num_nodes), np.fromiter(changed, dtype=np.int64))
    assert np.array_equal(state.scores[untouched], before[untouched])
    assert set(targets.tolist()) <= changed


def test_lowering_and_removing_a_seed_is_pushed_as_negative_mass(world):
    _, g = world
    s = np.zeros(g.num_nodes)
    acc = g.type_slice("Account")
    s[acc.start : acc.start + 5] = 1.0
    cfg = PropagationConfig(push_eps=1e-9)
    state = IncrementalPropagation(g, s, cfg, full(g, s))
    state.set_seed_weight(acc.start, 0.0)
    state.set_seed_weight(acc.start + 1, 0.3)
    s[acc.start], s[acc.start + 1] = 0.0, 0.3
    assert_within_bound(state, full(g, s))
    assert state.set_seed_weight(acc.start + 1, 0.3).pushes == 0


def test_add_seed_keeps_the_larger_weight(world):
    snap, g = world
    s = np.zeros(g.num_nodes)
    state = IncrementalPropagation(g, s, EXACT)
    acc_id = snap.nodes["Account"][10]
    state.add_seed(Seed("Account", acc_id, 1.0))
    state.add_seed(Seed("Account", acc_id, 0.3))
    assert state.seeds[g.index_of("Account", acc_id)] == 1.0
    s[g.index_of("Account", acc_id)] = 1.0
    assert_within_bound(state, full(g, s))
    with pytest.raises(PropagationError):
        state.add_seed(Seed("Account", acc_id, 0.0))


def test_volume_budget_truncates_then_flush_finishes(world):
    _, g = world
    s = np.zeros(g.num_nodes)
    state = IncrementalPropagation(g, s, PropagationConfig(push_eps=1e-9))
    idx = g.type_slice("Account").start
    stats = state.set_seed_weight(idx, 1.0, max_volume=1)
    assert stats.truncated
    state.flush()
    s[idx] = 1.0
    assert_within_bound(state, full(g, s))


def test_normalised_scores_use_the_fixed_background(world):
    _, g = world
    s = np.zeros(g.num_nodes)
    s[:50] = 1.0
    state = IncrementalPropagation.from_full(g, s, EXACT)
    bg = state.background
    state.set_seed_weight(int(g.type_slice("Account").start) + 100, 1.0)
    assert state.background == bg
    sel = np.array([0, 5, 500])
    assert state.normalised(sel) == pytest.approx(state.normalised()[sel])
    assert np.all(state.normalised()[:50] == 1.0)

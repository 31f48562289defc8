"""Full personalised PageRank: the order and values the maths says."""

from __future__ import annotations

import numpy as np
import pytest

from gnn.propagation import (
    PropagationConfig,
    PropagationError,
    Seed,
    build_propagation_graph,
    normalise_scores,
    personalized_pagerank,
    seed_vector,
)
from gnn.propagation.ppr import transition_matrix

CFG = PropagationConfig(half_life_days=None, tol=1e-12, max_iter=1000)
DAY = 86_400.0
T0 = 1_760_000_000.0


def tr(a, b, amount=None, at=None):
    return ("Account", a, "TRANSFERRED", "Account", b, amount, at)


def run(snap, seeds, cfg=CFG):
    g = build_propagation_graph(snap, cfg)
    s = seed_vector(g, [Seed("Account", k, w) for k, w in seeds])
    res = personalized_pagerank(g, s, cfg)
    assert res.converged
    return g, s, res.scores


def score(g, p, k, t="Account"):
    return p[g.index_of(t, k)]


def test_matches_dense_closed_form_including_an_isolated_node(make_snapshot):
    snap = make_snapshot(
        {"Account": ["s", "a", "b", "c", "lonely"], "Device": ["d"]},
        [
            tr("s", "a", 2_000_000.0),
            tr("a", "b", 3_000.0),
            tr("b", "c", 50_000.0),
            tr("c", "s", 70.0),
            ("Account", "a", "USED", "Device", "d", None, None),
            ("Account", "c", "USED", "Device", "d", None, None),
        ],
    )
    g, s, p = run(snap, [("s", 1.0), ("lonely", 0.3), ("b", 0.5)])
    w = g.adj.toarray()
    deg = np.maximum(w, w.T).sum(axis=1)  # undirected weight: no parallel edges here
    trans = np.zeros_like(w)
    for i in range(g.num_nodes):
        if deg[i] > 0:
            trans[i] = w[i] / deg[i]
        else:
            trans[i, i] = 1.0  # isolated: implicit self-loop
    assert transition_matrix(g).toarray() == pytest.approx(trans)
    alpha = CFG.alpha
    expected = alpha * np.linalg.solve(np.eye(g.num_nodes) - (1 - alpha) * trans.T, s)
    assert p == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert p.sum() < s.sum()  # damped upstream steps end some walks
    assert score(g, p, "lonely") == pytest.approx(0.3)


def test_path_order_decreases_with_distance(make_snapshot):
    snap = make_snapshot(
        {"Account": ["seed", "a", "b", "c"]}, [tr("seed", "a"), tr("a", "b"), tr("b", "c")]
    )
    g, s, p = run(snap, [("seed", 1.0)])
    a, b, c = (score(g, p, k) for k in "abc")
    assert a > b > c > 0
    norm = normalise_scores(p, g.degree, CFG, s)
    ia, ib, ic = (g.index_of("Account", k) for k in "abc")
    assert norm[ia] >= norm[ib] >= norm[ic]
    assert norm[ia] > norm[ic]


def test_two_seed_neighbours_beat_one(make_snapshot):
    snap = make_snapshot(
        {"Account": ["s1", "s2", "s3", "two", "one"]},
        [tr("s1", "two"), tr("s2", "two"), tr("s3", "one")],
    )
    g, _, p = run(snap, [("s1", 1.0), ("s2", 1.0), ("s3", 1.0)])
    assert score(g, p, "two") > score(g, p, "one")


def test_relationship_type_weights_matter(make_snapshot):
    # x and y hang off the same incident hub; x as beneficiary, y as victim.
    snap = make_snapshot(
        {"Incident": ["i"], "Account": ["seed", "x", "y"]},
        [
            ("Incident", "i", "BENEFICIARY", "Account", "seed", None, None),
            ("Incident", "i", "BENEFICIARY", "Account", "x", None, None),
            ("Incident", "i", "VICTIM", "Account", "y", None, None),
        ],
    )
    g, _, p = run(snap, [("seed", 1.0)])
    assert score(g, p, "x") > score(g, p, "y")
    flat = PropagationConfig(
        half_life_days=None, tol=1e-12, rel_weights={"BENEFICIARY": 1.0, "VICTIM": 1.0}
    )
    g2, _, p2 = run(snap, [("seed", 1.0)], flat)
    assert score(g2, p2, "x") == pytest.approx(score(g2, p2, "y"))


def test_time_decay_reduces_old_edges_influence(make_snapshot):
    snap = make_snapshot(
        {"Account": ["seed", "fresh", "old", "anchor"]},
        [
            tr("seed", "fresh", 100_000.0, T0),
            tr("seed", "old", 100_000.0, T0 - 365 * DAY),
            tr("anchor", "seed", 100_000.0, T0),
        ],
    )
    decayed = PropagationConfig(half_life_days=90.0, tol=1e-12)
    g, s, p = run(snap, [("seed", 1.0)], decayed)
    assert score(g, p, "fresh") > score(g, p, "old")
    norm = normalise_scores(p, g.degree, decayed, s)
    assert norm[g.index_of("Account", "fresh")] > norm[g.index_of("Account", "old")]
    g2, _, p2 = run(snap, [("seed", 1.0)])  # no decay: symmetric
    assert score(g2, p2, "fresh") == pytest.approx(score(g2, p2, "old"))


def test_scores_are_linear_in_seeds_and_zero_without_them(make_snapshot):
    snap = make_snapshot(
        {"Account": ["a", "b", "c", "d"]}, [tr("a", "b"), tr("b", "c"), tr("c", "d"), tr("d", "a")]
    )
    g, _, pa = run(snap, [("a", 1.0)])
    _, _, pc = run(snap, [("c", 0.5)])
    _, _, both = run(snap, [("a", 1.0), ("c", 0.5)])
    assert both == pytest.approx(pa + pc, abs=1e-12)
    empty = personalized_pagerank(g, np.zeros(g.num_nodes), CFG)
    assert not empty.scores.any()


def test_seed_vector_keeps_the_largest_weight_and_validates(make_snapshot):
    g = build_propagation_graph(make_snapshot({"Account": ["a", "b"]}, []))
    s = seed_vector(g, [Seed("Account", "a", 0.3), Seed("Account", "a", 1.0)])
    assert s.tolist() == [1.0, 0.0]
    with pytest.raises(PropagationError):
        seed_vector(g, [Seed("Account", "a", 1.5)])
    with pytest.raises(PropagationError):
        personalized_pagerank(g, np.array([1.0]), CFG)
    with pytest.raises(PropagationError):
        personalized_pagerank(g, np.array([-1.0, 0.0]), CFG)


def test_stops_at_max_iter_without_converging(make_snapshot):
    snap = make_snapshot({"Account": ["a", "b"]}, [tr("a", "b")])
    g = build_propagation_graph(snap, CFG)
    res = personalized_pagerank(g, np.array([1.0, 0.0]), PropagationConfig(max_iter=2, tol=1e-15))
    assert res.iterations == 2
    assert not res.converged


def test_graph_without_edges_keeps_all_mass_on_the_seeds(make_snapshot):
    snap = make_snapshot({"Account": ["a", "b", "c"]}, [])
    _g, _s, p = run(snap, [("a", 1.0), ("c", 0.3)])
    assert p.tolist() == pytest.approx([1.0, 0.0, 0.3])


def test_risk_flows_downstream_and_the_victim_side_carries_almost_nothing(make_snapshot):
    """A victim paid the mule; the mule paid a cash-out account. Before direction-aware
    propagation both got the same share of the mule's risk (the transfer graph was
    undirected), so the victim met PAYER_RISK_HIGH at their next payment."""
    snap = make_snapshot(
        {"Account": ["victim", "mule", "cashout", "shop"]},
        [tr("victim", "mule"), tr("mule", "cashout"), tr("victim", "shop")],
    )
    g, s, p = run(snap, [("mule", 1.0)])
    norm = normalise_scores(p, g.degree, CFG, s)
    victim, cashout, shop = (norm[g.index_of("Account", k)] for k in ("victim", "cashout", "shop"))
    assert cashout > 0.5  # the next layer of the scheme is exposed
    assert victim < CFG.background_score  # no more exposed than anyone else
    assert shop <= victim
    # Without the damping the victim is as exposed as the cash-out account.
    flat = PropagationConfig(half_life_days=None, tol=1e-12, max_iter=1000, upstream_weights={})
    g0, s0, p0 = run(snap, [("mule", 1.0)], flat)
    norm0 = normalise_scores(p0, g0.degree, flat, s0)
    assert norm0[g0.index_of("Account", "victim")] == pytest.approx(
        norm0[g0.index_of("Account", "cashout")], rel=0.2
    )

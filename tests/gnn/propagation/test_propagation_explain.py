"""Explanations: contributions add up, and every path is made of real snapshot edges."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest

from gnn.propagation import (
    PropagationConfig,
    Seed,
    UnknownEntityError,
    build_propagation_graph,
    explain,
    personalized_pagerank,
    seed_vector,
)
from gnn.propagation.synthetic import synthetic_snapshot

CFG = PropagationConfig(tol=1e-13, max_iter=2000, push_eps=1e-12)
T0 = 1_760_000_000.0


def tr(a, b, amount=None, at=None):
    return ("Account", a, "TRANSFERRED", "Account", b, amount, at)


def assert_steps_exist(snap, contribution, entity):
    """Consecutive nodes joined by an edge of the reported type, direction, amount, time."""
    path = contribution.path
    if not path:
        assert (contribution.node_type, contribution.node_id) == entity
        return
    assert (path[0].from_type, path[0].from_id) == (contribution.node_type, contribution.node_id)
    assert (path[-1].to_type, path[-1].to_id) == entity
    for a, b in itertools.pairwise(path):
        assert (a.to_type, a.to_id) == (b.from_type, b.from_id)
    for step in path:
        src = (step.from_type, step.from_id) if step.forward else (step.to_type, step.to_id)
        dst = (step.to_type, step.to_id) if step.forward else (step.from_type, step.from_id)
        es = snap.edges[(src[0], step.rel, dst[0])]
        si = snap.nodes[src[0]].index(src[1])
        di = snap.nodes[dst[0]].index(dst[1])
        hits = np.flatnonzero((es.src == si) & (es.dst == di))
        assert hits.size, f"no {step.rel} edge {src} -> {dst}"
        if step.amount is not None:
            assert es.amount is not None and step.amount in es.amount[hits]
        if step.at is not None:
            assert es.at is not None and step.at in es.at[hits]
        assert 0.0 < step.transition <= 1.0


def hand_world(make_snapshot):
    snap = make_snapshot(
        {"Account": ["s1", "s2", "m", "x", "y", "t"], "Device": ["d"], "Person": ["p"]},
        [
            tr("s1", "m", 900_000.0, T0),
            tr("m", "t", 850_000.0, T0),
            tr("s1", "t", 1_000.0, T0 - 400 * 86_400.0),  # weak, old direct route
            tr("s2", "x", 50_000.0, T0),
            ("Account", "x", "USED", "Device", "d", None, None),
            ("Account", "t", "USED", "Device", "d", None, None),
            ("Person", "p", "HOLDS", "Account", "y", None, None),
            ("Person", "p", "HOLDS", "Account", "t", None, None),
        ],
    )
    g = build_propagation_graph(snap, CFG)
    s = seed_vector(g, [Seed("Account", "s1", 1.0), Seed("Account", "s2", 0.3)])
    p = personalized_pagerank(g, s, CFG).scores
    return snap, g, s, p


def test_contributions_match_single_seed_ppr_and_sum_to_score(make_snapshot):
    _snap, g, s, p = hand_world(make_snapshot)
    ex = explain(g, s, p, "Account", "t", CFG, top_k=10, rel_tol=1e-9)
    assert ex.score == pytest.approx(p[g.index_of("Account", "t")])
    assert [c.node_id for c in ex.contributions] == ["s1", "s2"]
    for c in ex.contributions:
        alone = np.zeros_like(s)
        alone[g.index_of(c.node_type, c.node_id)] = c.seed_weight
        direct = personalized_pagerank(g, alone, CFG).scores[g.index_of("Account", "t")]
        assert c.contribution == pytest.approx(direct, rel=1e-6)
    assert sum(c.share for c in ex.contributions) == pytest.approx(1.0, rel=1e-6)
    assert ex.explained_fraction == pytest.approx(1.0, rel=1e-6)


def test_paths_exist_and_are_the_most_probable(make_snapshot):
    snap, g, s, p = hand_world(make_snapshot)
    ex = explain(g, s, p, "Account", "t", CFG, rel_tol=1e-9)
    w = g.adj.toarray()
    prob = w / g.degree[:, None]
    dg = nx.DiGraph()
    for u, v in zip(*np.nonzero(w), strict=True):
        dg.add_edge(int(u), int(v))
    t = g.index_of("Account", "t")
    for c in ex.contributions:
        assert_steps_exist(snap, c, ("Account", "t"))
        src = g.index_of(c.node_type, c.node_id)
        best = max(
            math.prod(prob[a, b] for a, b in itertools.pairwise(path))
            for path in nx.all_simple_paths(dg, src, t)
        )
        assert c.path_probability == pytest.approx(best)
    s1 = ex.contributions[0]
    # The strong two-hop route beats the weak, old direct transfer.
    assert [(st.from_id, st.to_id) for st in s1.path] == [("s1", "m"), ("m", "t")]
    assert s1.path[0].amount == 900_000.0 and s1.path[0].forward
    s2 = ex.contributions[1]
    assert [st.rel for st in s2.path] == ["TRANSFERRED", "USED", "USED"]
    assert [st.forward for st in s2.path] == [True, True, False]


def test_a_seed_explains_itself_and_isolated_nodes(make_snapshot):
    snap = make_snapshot({"Account": ["a", "b", "lonely"]}, [tr("a", "b")])
    g = build_propagation_graph(snap, CFG)
    s = seed_vector(g, [Seed("Account", "a", 1.0), Seed("Account", "lonely", 0.3)])
    p = personalized_pagerank(g, s, CFG).scores
    ex = explain(g, s, p, "Account", "a", CFG)
    assert ex.contributions[0].node_id == "a" and ex.contributions[0].path == []
    lone = explain(g, s, p, "Account", "lonely", CFG)
    assert [(c.node_id, c.share) for c in lone.contributions] == [("lonely", 1.0)]
    with pytest.raises(UnknownEntityError):
        explain(g, s, p, "Account", "ghost", CFG)


def test_paths_on_a_synthetic_world_are_real_edges():
    snap = synthetic_snapshot(2_000, 12_000, seed=5)
    cfg = PropagationConfig()
    g = build_propagation_graph(snap, cfg)
    s = np.zeros(g.num_nodes)
    acc = g.type_slice("Account")
    s[acc.start : acc.start + 40] = 1.0
    p = personalized_pagerank(g, s, cfg).scores
    checked = 0
    for idx in np.argsort(-p)[40:60].tolist():
        entity = g.entity_of(idx)
        ex = explain(g, s, p, *entity, cfg)
        assert ex.contributions
        assert 0.0 < ex.explained_fraction <= 1.0 + 1e-9
        shares = [c.share for c in ex.contributions]
        assert shares == sorted(shares, reverse=True)
        for c in ex.contributions:
            assert_steps_exist(snap, c, entity)
            checked += len(c.path)
    assert checked > 20

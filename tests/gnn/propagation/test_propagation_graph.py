"""Building the homogeneous propagation graph from a typed snapshot."""

from __future__ import annotations

import numpy as np
import pytest

from gnn.propagation import PropagationConfig, PropagationError, UnknownEntityError
from gnn.propagation import build_propagation_graph as build
from gnn.propagation.edge_weights import amount_factor, time_decay

DAY = 86_400.0
T0 = 1_760_000_000.0


def tr(a, b, amount=None, at=None):
    return ("Account", a, "TRANSFERRED", "Account", b, amount, at)


def test_global_index_roundtrip_over_types(make_snapshot):
    snap = make_snapshot(
        {"Account": ["a0", "a1"], "Device": ["d0"], "Person": ["p0", "p1"]},
        [("Account", "a1", "USED", "Device", "d0", None, None)],
    )
    g = build(snap)
    assert g.num_nodes == 5
    for t, ids in snap.nodes.items():
        for k in ids:
            assert g.entity_of(g.index_of(t, k)) == (t, k)
    assert g.index_of("Device", "d0") == 2
    with pytest.raises(UnknownEntityError):
        g.index_of("Account", "nope")
    with pytest.raises(UnknownEntityError):
        g.index_of("Bank", "x")


def test_directed_parallel_summed_self_loops_and_unknown_rels_dropped(make_snapshot):
    cfg = PropagationConfig(half_life_days=None)
    snap = make_snapshot(
        {"Account": ["a", "b", "c"], "Bank": ["B"]},
        [
            tr("a", "b", 100_000.0),
            tr("a", "b", 100_000.0),
            tr("b", "a", 100_000.0),
            tr("c", "c", 100_000.0),
            ("Account", "a", "AT_BANK", "Bank", "B", None, None),
            ("Account", "c", "AT_BANK", "Bank", "B", None, None),
        ],
    )
    g = build(snap, cfg)
    dense = g.adj.toarray()
    a, b, c = (g.index_of("Account", k) for k in "abc")
    # Money flows downstream: two unit transfers a -> b at full weight plus b -> a's
    # upstream tenth; the other way one full transfer plus two upstream tenths.
    assert dense[a, b] == pytest.approx(2.1)
    assert dense[b, a] == pytest.approx(1.2)
    assert np.allclose(g.adj_t.toarray(), dense.T)
    # The walk's normaliser is the undirected weight, so the upstream remainder ends
    # the walk rather than being pushed downstream.
    assert g.degree[a] == pytest.approx(3.0) and g.degree[b] == pytest.approx(3.0)
    assert dense[c, c] == 0.0
    assert g.adj.nnz == 2  # nothing through the bank
    assert g.isolated[c]
    flat = build(snap, PropagationConfig(half_life_days=None, upstream_weights={}))
    assert np.allclose(flat.adj.toarray(), flat.adj.toarray().T)
    assert np.allclose(flat.degree, flat.adj.toarray().sum(axis=1))


def test_relationship_weights_and_overrides(make_snapshot):
    rows = [
        ("Incident", "i", "BENEFICIARY", "Account", "a", None, None),
        ("Incident", "i", "VICTIM", "Account", "v", None, None),
    ]
    snap = make_snapshot({"Incident": ["i"], "Account": ["a", "v"]}, rows)
    g = build(snap)
    i, a, v = g.index_of("Incident", "i"), g.index_of("Account", "a"), g.index_of("Account", "v")
    assert g.adj[i, a] == pytest.approx(1.0)
    assert g.adj[i, v] == pytest.approx(0.1)
    cfg = PropagationConfig(edge_type_weights={("Incident", "VICTIM", "Account"): 0.5})
    assert build(snap, cfg).adj[i, v] == pytest.approx(0.5)


def test_amount_factor_is_logarithmic_and_anchored():
    f = amount_factor(np.array([100_000.0, 1_000.0, 1e8, np.nan, 0.0]), 100_000.0)
    assert f[0] == pytest.approx(1.0)
    assert f[1] == pytest.approx(np.log1p(1_000) / np.log1p(100_000))
    assert f[1] < 1.0 < f[2] < 2.0
    assert f[3] == pytest.approx(1.0) and f[4] == pytest.approx(1.0)


def test_time_decay_halves_per_half_life_and_ignores_future_and_missing():
    at = np.array([T0, T0 - 90 * DAY, T0 - 180 * DAY, T0 + 5 * DAY, np.nan])
    d = time_decay(at, T0, 90.0)
    assert d == pytest.approx([1.0, 0.5, 0.25, 1.0, 1.0])


def test_as_of_defaults_to_latest_edge_time(make_snapshot):
    snap = make_snapshot(
        {"Account": ["a", "b", "c"]},
        [tr("a", "b", 100_000.0, T0 - 90 * DAY), tr("b", "c", 100_000.0, T0)],
    )
    g = build(snap)
    assert g.as_of == T0
    a, b = g.index_of("Account", "a"), g.index_of("Account", "b")
    assert g.adj[a, b] == pytest.approx(0.5)


def test_strongest_parallel_edge_is_kept_for_explanations(make_snapshot):
    cfg = PropagationConfig(half_life_days=None)
    snap = make_snapshot(
        {"Account": ["a", "b"]},
        [tr("a", "b", 1_000.0, T0), tr("b", "a", 5_000_000.0, T0 - DAY), tr("a", "b", 10.0, T0)],
    )
    g = build(snap, cfg)
    a, b = g.index_of("Account", "a"), g.index_of("Account", "b")
    for row, col, forward in ((a, b, False), (b, a, True)):
        k = int(g.adj.indptr[row]) + int(
            np.flatnonzero(g.adj.indices[g.adj.indptr[row] : g.adj.indptr[row + 1]] == col)[0]
        )
        assert g.entry_amount[k] == 5_000_000.0
        assert g.entry_at[k] == T0 - DAY
        assert bool(g.entry_forward[k]) is forward
        assert g.edge_types[int(g.entry_kind[k])] == ("Account", "TRANSFERRED", "Account")


def test_bad_indices_and_config_are_rejected(make_snapshot):
    snap = make_snapshot({"Account": ["a", "b"]}, [tr("a", "b")])
    snap.edges[("Account", "TRANSFERRED", "Account")].dst[0] = 7
    with pytest.raises(PropagationError):
        build(snap)
    with pytest.raises(PropagationError):
        PropagationConfig(alpha=1.0)
    with pytest.raises(PropagationError):
        PropagationConfig(rel_weights={"TRANSFERRED": -1.0})


def test_split_gives_per_type_views(make_snapshot):
    snap = make_snapshot({"Account": ["a", "b"], "Phone": ["p"]}, [])
    g = build(snap)
    parts = g.split(np.arange(3.0))
    assert parts["Account"].tolist() == [0.0, 1.0]
    assert parts["Phone"].tolist() == [2.0]

"""Mule clusters (Leiden over the high-risk subgraph), stable ids and emerging schemes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gnn.clusters.communities import ClusterConfig, assign_ids, new_cluster_id
from gnn.clusters.emerging import backtest, hit_rate, payer_series, poisson_trend, predict_next
from gnn.clusters.run import build_clusters, cluster_quality, high_risk_members
from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.timed import TimedSnapshot
from tests.gnn.pipeline.conftest import DAY, day


def two_rings(extra_member: bool = False) -> tuple[TimedSnapshot, np.ndarray]:
    """Ring A = accounts 0-4, ring B = 5-9 (chains + a shared device each); 10-39 are
    ordinary accounts paying the rings' first accounts, more every week for ring A."""
    n = 40
    rng = np.random.default_rng(0)
    src, dst, at = [], [], []
    for ring in (range(0, 5), range(5, 10)):
        r = list(ring)
        for a, b in itertools.pairwise(r):
            for k in range(3):
                src.append(a)
                dst.append(b)
                at.append(day(20 + 7 * k))
    for w in range(6):  # ring A recruits 1, 2, ... payers a week; ring B one a week
        for j in range(w + 1):
            src.append(10 + (w * 3 + j) % 30)
            dst.append(0)
            at.append(day(7 * w + 1) + j)
        src.append(10 + w)
        dst.append(5)
        at.append(day(7 * w + 2))
    for _ in range(60):  # background payments among ordinary accounts
        a, b = rng.choice(np.arange(10, n), 2, replace=False)
        src.append(int(a))
        dst.append(int(b))
        at.append(day(float(rng.uniform(0, 42))))
    members_a = [0, 1, 2, 3, 4] + ([11] if extra_member else [])
    snap = TimedSnapshot(data_hash="rings")
    snap.nodes = {"Account": [f"acc{i:02d}" for i in range(n)], "Person": [],
                  "Device": ["dA", "dB"]}
    snap.node_attrs = {"Account": {"bank": np.array(["KASPI", "HALYK"] * (n // 2)),
                                   "opened_at": np.full(n, day(0))}}
    tr = ("Account", "TRANSFERRED", "Account")
    snap.edges[tr] = EdgeSet(np.array(src), np.array(dst), np.full(len(src), 50_000.0),
                             np.array(at))
    used = ("Account", "USED", "Device")
    snap.edges[used] = EdgeSet(np.array([*members_a, 5, 6, 7, 8, 9]),
                               np.array([0] * len(members_a) + [1] * 5))
    snap.edge_attrs[used] = {"since": np.full(len(members_a) + 5, day(1))}
    scores = np.full(n, 0.01)
    scores[:10] = 0.9
    if extra_member:
        scores[11] = 0.9
    return snap, scores


def test_leiden_finds_the_two_rings() -> None:
    snap, scores = two_rings()
    run = build_clusters(snap, scores, {}, ClusterConfig(min_size=3), threshold=0.5,
                         cutoff=day(43))
    groups = sorted(sorted(c.members) for c in run.clusters)
    assert groups == [[f"acc{i:02d}" for i in range(5)], [f"acc{i:02d}" for i in range(5, 10)]]
    ring_a = next(c for c in run.clusters if "acc00" in c.members)
    assert ring_a.size == 5 and ring_a.banks == 2
    assert ring_a.total_kzt > 0 and ring_a.first_seen_ts == day(1)
    assert sum(ring_a.growth) > 0


def test_cluster_ids_are_stable_across_runs_and_follow_growth() -> None:
    snap, scores = two_rings()
    cfg = ClusterConfig(min_size=3)
    first = build_clusters(snap, scores, {}, cfg, threshold=0.5, cutoff=day(43))
    again = build_clusters(snap, scores, {c.id: set(c.members) for c in first.clusters}, cfg,
                           threshold=0.5, cutoff=day(43))
    fresh = build_clusters(snap, scores, {}, cfg, threshold=0.5, cutoff=day(43))
    ids = {c.id: sorted(c.members) for c in first.clusters}
    assert {c.id: sorted(c.members) for c in again.clusters} == ids
    assert {c.id: sorted(c.members) for c in fresh.clusters} == ids
    # Ring A recruits one more account: it keeps its id through the Jaccard match.
    grown, g_scores = two_rings(extra_member=True)
    later = build_clusters(grown, g_scores, {c.id: set(c.members) for c in first.clusters}, cfg,
                           threshold=0.5, cutoff=day(43))
    old_a = next(cid for cid, m in ids.items() if "acc00" in m)
    new_a = next(c for c in later.clusters if "acc00" in c.members)
    assert new_a.id == old_a and "acc11" in new_a.members


def test_assign_ids_matches_each_old_id_once() -> None:
    prev = {"cl_old": {"a", "b", "c", "d"}}
    ids = assign_ids([["a", "b", "c"], ["c", "d", "e"]], prev, min_jaccard=0.3)
    assert ids[0] == "cl_old"
    assert ids[1] == new_cluster_id(["c", "d", "e"])
    assert assign_ids([["x", "y"]], prev) == [new_cluster_id(["x", "y"])]


def test_high_risk_members_include_known_positives() -> None:
    scores = np.array([0.1, 0.9, 0.2, np.nan])
    known = np.array([False, False, False, True])
    members, t = high_risk_members(scores, known, threshold=0.5)
    assert members.tolist() == [1, 3] and t == 0.5


def test_cluster_quality_against_true_schemes() -> None:
    is_fraud = np.array([True, True, True, True, False])
    scheme = np.array(["S1", "S1", "S2", "S2", ""])
    perfect = cluster_quality([[0, 1], [2, 3]], is_fraud, scheme)
    assert perfect["adjusted_rand"] == 1.0 and perfect["purity"] == 1.0
    assert perfect["precision"] == 1.0 and perfect["schemes_found"] == 2
    mixed = cluster_quality([[0, 2, 4], [1, 3]], is_fraud, scheme)
    assert mixed["adjusted_rand"] is not None and mixed["adjusted_rand"] < 0.5
    assert mixed["precision"] == pytest.approx(0.8)


def test_poisson_trend_recovers_growth_and_predicts_the_next_window() -> None:
    series = np.array([2.0, 4.0, 8.0, 16.0, 32.0])
    _a, b = poisson_trend(series, ridge=0.0)
    assert b == pytest.approx(np.log(2.0), rel=1e-3)
    assert predict_next(series, ridge=0.0) == pytest.approx(64.0, rel=1e-2)
    assert predict_next(np.zeros(6)) == 0.0
    flat = predict_next(np.full(6, 5.0))
    assert flat == pytest.approx(5.0, rel=1e-3)


def test_payer_series_counts_first_payments_per_window() -> None:
    first = np.array([day(0.5), day(1.5), day(1.7), day(3.5)])
    s = payer_series(first, day(4), window_days=1.0, windows=4)
    assert s.tolist() == [1.0, 2.0, 0.0, 1.0]


def test_hit_rate_and_backtest() -> None:
    assert hit_rate(np.array([3.0, 2.0, 1.0]), np.array([1.0, 5.0, 4.0]), k=2) == 0.5
    growing = day(0) + DAY * np.sort(np.concatenate([np.arange(w, w + 1, 1 / (w + 1))
                                                      for w in range(0, 8)]))
    steady = day(0) + DAY * np.arange(0.5, 8.0, 1.0)
    dying = day(0) + DAY * np.array([0.1, 0.2, 0.3, 0.4, 1.1, 1.2, 2.5])
    bt = backtest([steady, growing, dying], day(7), window_days=1.0, k=1, history=6)
    assert bt.clusters == 3 and bt.hit_rate == 1.0  # the growing one is predicted on top

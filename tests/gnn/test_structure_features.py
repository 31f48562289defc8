"""Structural multigraph features: typologies found, and thresholds that come from the data
(the same ring scaled in amount or stretched in time gives the same features)."""

from __future__ import annotations

import numpy as np

from gnn.features.structure import structure_features, time_granularity, window_scales
from gnn.features.table import FeatureTable

HOUR = 3600.0


def _world(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """200 background accounts paying at random over 60 days, plus a 5-account cycle, a
    fan-in onto account 210 and a scatter-gather 220 -> {221..224} -> 225, each in a
    few hours."""
    rng = np.random.default_rng(seed)
    n = 230
    m = 3000
    src = list(rng.integers(0, 200, m))
    dst = list((np.asarray(src) + rng.integers(1, 200, m)) % 200)
    at = list(rng.uniform(0, 60 * 24 * HOUR, m))
    amt = list(rng.lognormal(10, 1, m))
    t0 = 30 * 24 * HOUR
    ring = [200, 201, 202, 203, 204]
    for i, a in enumerate(ring):
        src.append(a)
        dst.append(ring[(i + 1) % len(ring)])
        at.append(t0 + i * HOUR)
        amt.append(50_000.0)
    for i, a in enumerate(range(205, 210)):
        src.append(a)
        dst.append(210)
        at.append(t0 + i * HOUR)
        amt.append(30_000.0)
    for i, mid in enumerate(range(221, 225)):
        src += [220, mid]
        dst += [mid, 225]
        at += [t0 + i * HOUR, t0 + (i + 1) * HOUR]
        amt += [20_000.0, 19_000.0]
    return (np.array(src), np.array(dst), np.array(amt), np.array(at), n)


def _table(src: np.ndarray, dst: np.ndarray, amt: np.ndarray, at: np.ndarray,
           n: int) -> FeatureTable:
    t = FeatureTable()
    structure_features(t, src, dst, amt, at, n)
    return t


def test_typologies_stand_out_from_the_background() -> None:
    t = _table(*_world())
    cyc = t.column("cycle_walks_w0_5")
    assert cyc[200:205].min() > 0
    assert cyc[:200].mean() < cyc[200:205].min()
    ring = t.column("ring_windows_w0_5")
    assert ring[200:205].min() > 0
    assert (ring[:200] > 0).mean() < 0.2  # background pairs rarely close a loop in a window
    fan_in = t.column("fan_in_w0_5")
    assert fan_in[210] >= np.log1p(5)
    sg_src = t.column("scatter_gather_src_w0_5")
    sg_dst = t.column("scatter_gather_dst_w0_5")
    assert sg_src[220] >= np.log1p(4) - 1e-9 and sg_dst[225] >= np.log1p(4) - 1e-9
    assert sg_src[:200].max() < sg_src[220]
    assert t.column("scatter_gather_mid_w0_5")[221:225].min() > 0


def test_a_fans_leaves_carry_the_hub_on_the_other_side() -> None:
    """The leaves of a fan are ordinary on their own; they stand out by the fan-in of the
    account they paid (205..209 -> 210) or the fan-out of the one that paid them
    (220 -> 221..224)."""
    t = _table(*_world())
    payee = t.column("payee_max_fan_in_w0_5")
    assert payee[205:210].min() >= np.log1p(5) - 1e-9
    assert np.mean(payee[:200]) < payee[205:210].min()
    payer = t.column("payer_max_fan_out_w0_5")
    assert payer[221:225].min() >= np.log1p(4) - 1e-9
    assert np.mean(payer[:200]) < payer[221:225].min()
    assert t.column("payer_mean_fan_out_w0_5")[221:225].min() > 0


def test_same_ring_scaled_by_1000_in_amount_gives_the_same_features() -> None:
    src, dst, amt, at, n = _world()
    a = _table(src, dst, amt, at, n)
    b = _table(src, dst, amt * 1000.0, at, n)
    for name in a.names:
        np.testing.assert_allclose(a.column(name), b.column(name), atol=1e-9, err_msg=name)


def test_same_ring_spread_from_hours_to_days_gives_the_same_features() -> None:
    src, dst, amt, at, n = _world()
    a = _table(src, dst, amt, at, n)
    b = _table(src, dst, amt, at * 24.0, n)  # every gap 24 times longer
    for name in a.names:
        np.testing.assert_allclose(a.column(name), b.column(name), atol=1e-9, err_msg=name)


def test_day_granular_timestamps() -> None:
    """Every transfer of a day at midnight (as AMLSim writes them): the windows are at
    least two days long and the ring, inside one day, is still found."""
    src, dst, amt, at, n = _world()
    day = np.floor(at / (24 * HOUR)) * 24 * HOUR
    assert time_granularity(day) == 24 * HOUR
    scales = window_scales(src, day, n)
    assert min(s.seconds for s in scales) >= 2 * 24 * HOUR
    t = _table(src, dst, amt, day, n)
    assert t.column("cycle_walks_w0_5")[200:205].min() > 0


def test_empty_graph() -> None:
    e = np.zeros(0)
    t = _table(e.astype(np.int64), e.astype(np.int64), e, e, 4)
    assert t.rows == 4
    assert all(np.all(c == 0) for c in t.columns)

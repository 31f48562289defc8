"""Raw mass -> [0, 1] scores: monotone, anchored at background and seed level."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnn.propagation import PropagationConfig, PropagationError, normalise_scores
from gnn.propagation.normalise import background_level, floor_level, span_decades

CFG = PropagationConfig()


@given(
    st.lists(st.floats(0.0, 10.0), min_size=2, max_size=30),
    st.floats(1e-6, 1e-1),
)
def test_range_and_monotone_in_mass(masses, background):
    p = np.sort(np.array(masses))
    deg = np.full(p.size, 3.0)
    out = normalise_scores(p, deg, CFG, background=background)
    assert np.all((out >= 0) & (out <= 1))
    assert np.all(np.diff(out) >= 0)


def test_background_maps_to_its_score_and_seed_level_to_one():
    bg = 1e-3
    b = CFG.background_score
    deg = np.array([1.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    p = np.array([CFG.alpha, bg * 10.0, bg * 10.0 * 10.0, 0.0, bg * 10.0 * 1e-3, bg * 1e-7])
    out = normalise_scores(p, deg, CFG, background=bg)
    span = span_decades(CFG, bg)
    assert span == pytest.approx(np.log10(CFG.alpha / bg))
    assert out[0] == pytest.approx(1.0)
    assert out[1] == pytest.approx(b, abs=1e-12)  # q = p/deg = background
    assert out[2] == pytest.approx(b + (1.0 - b) / span)  # one decade above background
    assert out[3] == 0.0
    # Below background the order is kept (three decades down: half way to 0), and it
    # ends at 0 below_decades under it.
    assert out[4] == pytest.approx(b * (1.0 - 3.0 / CFG.below_decades))
    assert out[5] == 0.0
    assert floor_level(CFG, bg) == pytest.approx(bg)


def test_accounts_below_background_are_not_all_alike():
    """With many known cases nearly every other account sits below background; the
    score used to be 0 for all of them (IBM AMLSim: every unknown account alike)."""
    bg = 1e-3
    p = bg * np.array([0.5, 0.05, 0.005])
    out = normalise_scores(p, np.ones(3), CFG, background=bg)
    assert out[0] > out[1] > out[2] > 0.0
    assert np.all(out < CFG.background_score)


def test_span_is_clipped_and_seeds_score_at_least_their_weight():
    assert span_decades(CFG, 0.0) == CFG.max_decades
    assert span_decades(CFG, 1e-20) == CFG.max_decades
    assert span_decades(CFG, 0.5) == CFG.min_decades
    seeds = np.array([1.0, 0.3, 0.0])
    deg = np.array([1000.0, 1000.0, 1.0])
    out = normalise_scores(np.array([1.0, 0.3, 0.0]), deg, CFG, seeds)
    assert out[0] == 1.0 and out[1] >= 0.3 and out[2] == 0.0
    with pytest.raises(PropagationError):
        PropagationConfig(background_score=1.0)


def test_degree_floor_keeps_decay_visible():
    # Same mass, one through a weak (decayed) single edge: not inflated above a unit edge.
    out = normalise_scores(np.array([0.01, 0.01]), np.array([1.0, 0.05]), CFG, background=1e-4)
    assert out[0] == out[1]
    assert background_level(np.array([1.0, 0.0]), np.array([0.5, 3.0])) == pytest.approx(0.25)

"""combine_risk: bounded, monotone in every input, bands at the documented thresholds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnn.propagation import PropagationError, band_of, combine_risk, combine_risk_array
from gnn.propagation.risk import BANDS

unit = st.floats(0.0, 1.0)


@given(unit, unit, unit, st.floats(0.001, 1.0), st.integers(0, 2))
def test_strictly_increasing_in_each_input(p, g, h, bump, which):
    args = [p, g, h]
    higher = list(args)
    higher[which] = min(1.0, args[which] + bump)
    lo, _ = combine_risk(*args)
    hi, _ = combine_risk(*higher)
    assert 0.0 < lo <= hi < 1.0
    if higher[which] - args[which] >= 1e-6:  # below that, float rounding may tie
        assert lo < hi


def test_bands_at_thresholds():
    assert [b for _, b in BANDS] == ["low", "medium", "high", "critical"]
    assert band_of(0.0) == "low"
    assert band_of(0.2999) == "low"
    assert band_of(0.3) == "medium"
    assert band_of(0.6) == "high"
    assert band_of(0.8499) == "high"
    assert band_of(0.85) == "critical"
    assert band_of(1.0) == "critical"
    with pytest.raises(PropagationError):
        band_of(1.5)


def test_documented_anchor_points():
    assert combine_risk(0.0) == (pytest.approx(1 / (1 + math.exp(4))), "low")
    assert combine_risk(1.0)[1] == "high"
    assert combine_risk(0.0, gnn=1.0)[1] == "high"
    assert combine_risk(0.0, heuristics=1.0)[1] == "medium"
    for a, b in itertools.combinations(range(3), 2):
        args = [0.0, 0.0, 0.0]
        args[a] = args[b] = 1.0
        assert combine_risk(*args)[1] == "critical"


def test_missing_inputs_are_no_evidence_and_bad_inputs_rejected():
    assert combine_risk(0.4) == combine_risk(0.4, None, None) == combine_risk(0.4, 0.0, 0.0)
    for bad in (-0.1, 1.1, float("nan")):
        with pytest.raises(PropagationError):
            combine_risk(bad)
        with pytest.raises(PropagationError):
            combine_risk(0.5, gnn=bad)


def test_array_version_agrees_with_scalar():
    rng = np.random.default_rng(3)
    p, g, h = rng.random(50), rng.random(50), rng.random(50)
    g[::7] = np.nan
    risk, bands = combine_risk_array(p, g, h)
    for i in range(50):
        gi = None if np.isnan(g[i]) else float(g[i])
        r, b = combine_risk(float(p[i]), gi, float(h[i]))
        assert risk[i] == pytest.approx(r)
        assert bands[i] == b

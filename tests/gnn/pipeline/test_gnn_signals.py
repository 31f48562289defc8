"""Heuristic signals as per-account scores: from a stored detect run, only when valid."""

from __future__ import annotations

import numpy as np

from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.signals import detect_run_signals, feature_signals
from gnn.snapshot.timed import TimedSnapshot
from tests.gnn.pipeline.conftest import day, toy_snapshot


def with_detect_run(run_as_of: float) -> TimedSnapshot:
    snap = toy_snapshot()
    snap.nodes["Signal"] = ["s0", "s1", "s2"]
    snap.node_attrs["Signal"] = {"heuristic": np.array(["fast_pass_through", "many_banks",
                                                        "list_proximity"]),
                                 "score": np.array([0.8, 0.6, 1.0])}
    snap.nodes["DetectRun"] = ["run1"]
    snap.node_attrs["DetectRun"] = {"as_of": np.array([run_as_of]),
                                    "window_s": np.array([30 * 86_400.0])}
    snap.edges[("Signal", "FLAGS", "Account")] = EdgeSet(np.array([0, 2]), np.array([2, 3]))
    snap.edges[("Signal", "FLAGS", "Person")] = EdgeSet(np.array([1]), np.array([1]))
    return snap


def test_signals_of_a_detect_run_at_the_cutoff() -> None:
    snap = with_detect_run(day(20) - 60)
    sig = detect_run_signals(snap, day(20))
    assert sig is not None
    assert sig["fast_pass_through"].tolist() == [0, 0, 0.8, 0, 0, 0]
    # a person's hit counts for the accounts the person holds (p1: a1, a2)
    assert sig["many_banks"].tolist() == [0, 0.6, 0.6, 0, 0, 0]
    assert "list_proximity" not in feature_signals(sig)  # type: ignore[operator]


def test_a_detect_run_from_another_time_is_not_used() -> None:
    assert detect_run_signals(with_detect_run(day(25)), day(20)) is None  # saw the future
    assert detect_run_signals(with_detect_run(day(10)), day(20)) is None  # stale
    assert detect_run_signals(toy_snapshot(), day(20)) is None  # no run at all

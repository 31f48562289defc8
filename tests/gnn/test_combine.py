"""The learned risk combination: monotone, calibrated on validation, drops what does not
help, and known fraud keeps its seed weight."""

from __future__ import annotations

import numpy as np

from gnn.propagation.combine import Combiner, fit_combiner, with_own_seed


def _data(n: int = 4000, seed: int = 0) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.05).astype(np.int8)
    model = np.clip(0.2 + 0.5 * y + 0.15 * rng.normal(size=n), 0.001, 0.999)
    prop = rng.random(n)  # carries nothing
    heur = np.clip(0.3 * y + 0.1 * rng.random(n), 0, 1)
    return {"model": model, "propagation": prop, "heuristics": heur}, y


def test_weights_non_negative_and_useless_component_near_zero() -> None:
    values, y = _data()
    c = fit_combiner(values, y)
    w = dict(zip(c.components, c.weights, strict=True))
    assert all(v >= 0 for v in w.values())
    assert w["propagation"] < 0.2 * max(w["model"], w["heuristics"])
    assert w["model"] > 0 and w["heuristics"] > 0


def test_calibrated_and_monotone() -> None:
    values, y = _data()
    c = fit_combiner(values, y)
    p = c.apply(values)
    assert abs(p.mean() - y.mean()) < 0.01  # calibrated on its own validation rows
    up = {**values, "model": np.clip(values["model"] + 0.1, 0, 0.999)}
    assert np.all(c.apply(up) >= p - 1e-12)


def test_round_trip_and_missing_component() -> None:
    values, y = _data()
    c = Combiner.from_dict(fit_combiner(values, y).as_dict())
    np.testing.assert_allclose(c.apply(values), fit_combiner(values, y).apply(values))
    # A component absent at scoring time counts as average evidence, not as an error.
    partial = {"model": values["model"], "propagation": values["propagation"]}
    assert c.apply(partial).shape == y.shape


def test_constant_component_left_out() -> None:
    values, y = _data()
    values["heuristics"] = np.zeros_like(values["heuristics"])
    c = fit_combiner(values, y)
    assert "heuristics" not in c.components


def test_own_seed_floor() -> None:
    combined = np.array([0.1, 0.1, 0.9])
    out = with_own_seed(combined, np.array([0.0, 1.0, 0.3]))
    np.testing.assert_allclose(out[:2], [0.1, 1.0])
    assert out[2] >= 0.9


def test_validation_at_chance_keeps_the_model_ranking() -> None:
    """A model that validation finds no better than chance (here: a little worse) must
    not be weighted to zero, which serves one risk to everybody: the combination falls
    back to the model alone."""
    rng = np.random.default_rng(3)
    n = 3000
    y = (rng.random(n) < 0.05).astype(np.int8)
    model = np.clip(rng.random(n) - 0.05 * y, 0, 1)
    c = fit_combiner({"model": model, "propagation": rng.random(n)}, y)
    assert c.components == ["model"] and c.weights == [1.0] and c.note
    served = c.apply({"model": model})
    assert np.array_equal(np.argsort(served), np.argsort(model))
    assert abs(served.mean() - y.mean()) < 0.02


def test_engine_evidence_leaves_out_label_reading_heuristics() -> None:
    from gnn.propagation.engine import heuristic_evidence
    from gnn.snapshot.graph import EdgeSet, GraphSnapshot

    snap = GraphSnapshot(
        nodes={"Signal": ["s1", "s2"], "Account": ["a", "b"]},
        edges={("Signal", "FLAGS", "Account"): EdgeSet(np.array([0, 1]), np.array([0, 1]))},
        node_attrs={"Signal": {"score": np.array([0.5, 0.8]),
                               "heuristic": np.array(["cycle", "list_proximity"])}})
    np.testing.assert_allclose(heuristic_evidence(snap, "Account"), [0.5, 0.8])
    np.testing.assert_allclose(
        heuristic_evidence(snap, "Account", frozenset({"list_proximity"})), [0.5, 0.0])


def test_model_choice_needs_validation_that_beats_chance() -> None:
    from gnn.models.selection import choose_model

    few = {"lightgbm": {"pr_auc": 0.002, "roc_auc": 0.55, "accounts": 10_000, "positives": 14},
           "gnn": {"pr_auc": 0.004, "roc_auc": 0.62, "accounts": 10_000, "positives": 14}}
    assert choose_model(few, 0.0014) == ("lightgbm", False)  # 14 positives: noise
    clear = {"lightgbm": {"pr_auc": 0.20, "roc_auc": 0.85, "accounts": 10_000, "positives": 60},
             "gnn": {"pr_auc": 0.35, "roc_auc": 0.90, "accounts": 10_000, "positives": 60}}
    assert choose_model(clear, 0.006) == ("gnn", True)

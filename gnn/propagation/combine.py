"""The served risk: a calibrated combination of the components, learned on validation.

Components, each in [0, 1] per account: the served model's score (``model``), propagated
risk from known fraud (``propagation``) and the heuristics' noisy-OR evidence
(``heuristics``). A logistic model is fitted on the validation window (accounts unknown
at T1, positive when they became known in [T1, T2)) with non-negative weights, so the
risk can only rise with each component's evidence and every explanation is a sum of
non-negative contributions. The model score enters as its logit (it is a ranking score);
the others as they are.

An entity that is itself a seed (black-listed, an incident's beneficiary) keeps at least
its seed weight as risk: ``risk = 1 - (1 - combined) * (1 - own_seed)``; the combination
is fitted on unknown accounts and says nothing about known ones.

    comb = fit_combiner({"model": m, "propagation": p, "heuristics": h}, y)
    risk = comb.apply({"model": ..., ...})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize

COMPONENTS = ("model", "propagation", "heuristics")
_EPS = 1e-6
L2 = 1e-3


def _inputs(name: str, x: np.ndarray) -> np.ndarray:
    v = np.clip(np.nan_to_num(np.asarray(x, dtype=np.float64), nan=0.0), 0.0, 1.0)
    if name == "model":
        v = np.clip(v, _EPS, 1 - _EPS)
        return np.asarray(np.log(v / (1 - v)))
    return v


@dataclass
class Combiner:
    components: list[str]
    weights: list[float]
    intercept: float
    mean: list[float]  # standardisation of the inputs, from the validation rows
    std: list[float]
    note: str = ""

    def _z(self, values: Mapping[str, np.ndarray | None]) -> tuple[np.ndarray, np.ndarray]:
        n = len(next(v for v in values.values() if v is not None))
        cols = []
        for name, mu, sd in zip(self.components, self.mean, self.std, strict=True):
            x = values.get(name)
            raw = _inputs(name, x) if x is not None else np.full(n, mu)
            cols.append((raw - mu) / sd)
        xs = np.stack(cols, axis=1) if cols else np.zeros((n, 0))
        contrib = xs * np.asarray(self.weights)
        return self.intercept + contrib.sum(axis=1), contrib

    def apply(self, values: Mapping[str, np.ndarray | None]) -> np.ndarray:
        z, _ = self._z(values)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))))

    def contributions(self, values: Mapping[str, np.ndarray | None]) -> np.ndarray:
        """Per row and component, its share of the log-odds above the average account."""
        _, c = self._z(values)
        return c

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Combiner:
        return cls(list(d["components"]), [float(w) for w in d["weights"]],
                   float(d["intercept"]), [float(m) for m in d["mean"]],
                   [float(s) for s in d["std"]], str(d.get("note", "")))


def fit_combiner(values: Mapping[str, np.ndarray | None], y: np.ndarray) -> Combiner:
    """Logistic regression with weights >= 0 (L-BFGS-B) on the supplied components; a
    component that is missing or constant on validation is left out."""
    y = np.asarray(y, dtype=np.float64)
    names, cols = [], []
    for name in COMPONENTS:
        x = values.get(name)
        if x is None:
            continue
        v = _inputs(name, x)
        if v.size != y.size or float(v.std()) < 1e-9:
            continue
        names.append(name)
        cols.append(v)
    if not names:
        base = float(np.clip(y.mean(), _EPS, 1 - _EPS)) if y.size else 0.5
        return Combiner([], [], float(np.log(base / (1 - base))), [], [])
    raw = np.stack(cols, axis=1)
    mu, sd = raw.mean(axis=0), raw.std(axis=0)
    xs = (raw - mu) / sd
    k = xs.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta[0] + xs @ theta[1:]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        ll = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        g = p - y
        grad = np.concatenate([[g.mean()], xs.T @ g / y.size + 2 * L2 * theta[1:]])
        return float(ll + L2 * float(theta[1:] @ theta[1:])), grad

    base = float(np.clip(y.mean(), _EPS, 1 - _EPS))
    theta0 = np.concatenate([[np.log(base / (1 - base))], np.full(k, 0.1)])
    bounds = [(None, None)] + [(0.0, None)] * k
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", bounds=bounds)
    weights = [float(w) for w in res.x[1:]]
    if "model" in names and weights[names.index("model")] <= 1e-6:
        # Validation that cannot tell the model's ranking from chance must not erase it
        # (a zero weight serves one number to everybody): the model alone, unit weight,
        # its intercept fitted to the validation rate.
        j = names.index("model")
        z = xs[:, j]

        def nll(b: np.ndarray) -> float:
            p = 1.0 / (1.0 + np.exp(-np.clip(b[0] + z, -50, 50)))
            return float(-np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)))

        b = minimize(nll, theta0[:1], method="L-BFGS-B").x
        return Combiner(["model"], [1.0], float(b[0]), [float(mu[j])], [float(sd[j])],
                        "validation gave the model no weight: the model alone")
    return Combiner(names, weights, float(res.x[0]),
                    [float(m) for m in mu], [float(s) for s in sd])


def with_own_seed(combined: np.ndarray, own_seed: np.ndarray) -> np.ndarray:
    """Known fraud stays at least as risky as its own seed weight."""
    s = np.clip(np.nan_to_num(np.asarray(own_seed, dtype=np.float64), nan=0.0), 0.0, 1.0)
    return np.asarray(1.0 - (1.0 - combined) * (1.0 - s))

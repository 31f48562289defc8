"""Emerging schemes: which clusters are growing, and will they grow next window?

Growth is counted as *new external payers per window*: accounts outside a cluster that
pay one of its members for the first time (victims, players, buyers). A scheme that
recruits more victims every week shows a rising series.

Prediction model (deliberately simple, documented, no training data needed): a Poisson
regression with a log-linear trend, ``count_t ~ Poisson(exp(a + b t))``, fitted by
IRLS on the last ``history`` windows with a small ridge penalty on ``b`` (two windows
of noise must not make an exponential). The forecast is ``exp(a + b T)`` for the next
window T. Evaluation (`backtest`): forecast from the windows before a cut-off, then
compare the top-k predicted clusters with the top-k by actual new payers in the window
after it (hit rate = overlap / k), next to the naive "same as last window" forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DAY_S = 86_400.0


def payer_series(first_pay: np.ndarray, cutoff: float, window_days: float,
                 windows: int) -> np.ndarray:
    """Counts of first payments in each of the ``windows`` windows ending at ``cutoff``
    (oldest first). ``first_pay``: one time per (cluster, external payer)."""
    w = window_days * DAY_S
    edges = cutoff - w * np.arange(windows, -1, -1)
    counts, _ = np.histogram(first_pay, bins=edges)
    return counts.astype(np.float64)


def poisson_trend(series: np.ndarray, ridge: float = 1.0, iterations: int = 25
                  ) -> tuple[float, float]:
    """(a, b) of ``log E[count_t] = a + b t`` with t = 0..n-1, by penalised IRLS."""
    y = np.asarray(series, dtype=np.float64)
    n = y.size
    if n == 0 or y.sum() == 0:
        return float("-inf"), 0.0
    t = np.arange(n, dtype=np.float64)
    x = np.stack([np.ones(n), t - t.mean()], axis=1)
    beta = np.array([np.log(y.mean()), 0.0])
    penalty = np.diag([0.0, ridge])
    for _ in range(iterations):
        mu = np.exp(np.clip(x @ beta, -30, 30))
        grad = x.T @ (y - mu) - penalty @ beta
        hess = x.T @ (x * mu[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        beta = beta + step
        if np.abs(step).max() < 1e-8:
            break
    a = float(beta[0] - beta[1] * t.mean())
    return a, float(beta[1])


def predict_next(series: np.ndarray, history: int = 6, ridge: float = 1.0) -> float:
    """Expected new payers in the window after the series."""
    recent = np.asarray(series, dtype=np.float64)[-history:]
    a, b = poisson_trend(recent, ridge)
    if not np.isfinite(a):
        return 0.0
    return float(np.exp(np.clip(a + b * recent.size, -30, 30)))


def growth_rate(series: np.ndarray, history: int = 6, ridge: float = 1.0) -> float:
    """Fitted growth per window, exp(b) - 1 (0.25 = +25 % a window)."""
    _a, b = poisson_trend(np.asarray(series, dtype=np.float64)[-history:], ridge)
    return float(np.expm1(b))


def hit_rate(predicted: np.ndarray, actual: np.ndarray, k: int) -> float:
    """|top-k by prediction ∩ top-k by actual| / k (ties broken by position)."""
    k = min(k, predicted.size)
    if k == 0:
        return float("nan")
    top_p = set(np.argsort(-predicted, kind="stable")[:k].tolist())
    top_a = set(np.argsort(-actual, kind="stable")[:k].tolist())
    return len(top_p & top_a) / k


@dataclass
class Backtest:
    clusters: int
    k: int
    hit_rate: float
    naive_hit_rate: float
    spearman: float | None


def backtest(first_pays: list[np.ndarray], cutoff: float, window_days: float, k: int = 5,
             history: int = 6) -> Backtest:
    """Forecast each cluster's next window from the windows before ``cutoff``; compare
    with the window [cutoff, cutoff + window)."""
    from scipy.stats import spearmanr

    w = window_days * DAY_S
    pred, naive, actual = [], [], []
    for fp in first_pays:
        series = payer_series(fp, cutoff, window_days, history)
        pred.append(predict_next(series, history))
        naive.append(series[-1] if series.size else 0.0)
        actual.append(float(((fp >= cutoff) & (fp < cutoff + w)).sum()))
    p, nv, a = np.array(pred), np.array(naive), np.array(actual)
    rho: float | None = None
    if p.size >= 3 and np.ptp(p) > 0 and np.ptp(a) > 0:
        rho = float(spearmanr(p, a).statistic)
    return Backtest(len(first_pays), min(k, p.size), hit_rate(p, a, k), hit_rate(nv, a, k), rho)

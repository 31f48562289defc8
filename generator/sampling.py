"""Small vectorised sampling helpers shared by the legitimate and the fraud generators."""

from __future__ import annotations

import numpy as np

from generator.config import DAY_S, HOUR_S, HOUR_WEIGHTS

_HOUR_CDF = np.cumsum(HOUR_WEIGHTS) / HOUR_WEIGHTS.sum()
_WORK_HOURS = np.where((np.arange(24) >= 9) & (np.arange(24) < 18), 1.0, 0.0)
_WORK_CDF = np.cumsum(_WORK_HOURS) / _WORK_HOURS.sum()


def cdf_of(weights: np.ndarray) -> np.ndarray:
    c = np.cumsum(np.asarray(weights, dtype=np.float64))
    if c.size == 0 or c[-1] <= 0:
        raise ValueError("weights must have a positive sum")
    return c


def sample_cdf(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    """Indices drawn with probability proportional to the weights behind `cdf`.
    Zero-weight indices are never drawn (their interval is empty)."""
    u = rng.random(n) * cdf[-1]
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1).astype(np.int64)


def seconds_in_day(rng: np.random.Generator, n: int, business: bool = False) -> np.ndarray:
    """Seconds after local midnight following the human (or office) hour profile."""
    hour = np.searchsorted(_WORK_CDF if business else _HOUR_CDF, rng.random(n), side="right")
    return np.minimum(hour, 23) * HOUR_S + rng.integers(0, HOUR_S, n)


def to_daytime(rng: np.random.Generator, ts: np.ndarray, day0: int) -> np.ndarray:
    """Keep each instant's day, redraw its time of day from the activity profile."""
    days = (np.asarray(ts, dtype=np.int64) - day0) // DAY_S
    return day0 + days * DAY_S + seconds_in_day(rng, len(days))


def growing_arrivals(
    rng: np.random.Generator, n: int, start: int, end: int, growth_per_day: float
) -> np.ndarray:
    """Sorted instants in [start, end) with density proportional to exp(g * t): a scheme
    that recruits more victims every week as it matures."""
    span = max(end - start, 1)
    g = growth_per_day / DAY_S
    u = rng.random(n)
    t = u * span if g * span < 1e-9 else np.log1p(u * np.expm1(g * span)) / g
    return np.sort(start + np.minimum(t, span - 1).astype(np.int64))


def rotating_slots(
    rng: np.random.Generator, n_events: int, n_slots: int, reuse: float
) -> np.ndarray:
    """Slot of each event taken in time order: slots are used one after the other (a mule
    account is burnt and replaced), so a faster event rate means more slots per week;
    with probability `reuse` an event goes to a recently used slot instead."""
    if n_events == 0:
        return np.zeros(0, dtype=np.int64)
    base = np.arange(n_events, dtype=np.int64) * n_slots // n_events
    back = rng.geometric(0.5, n_events)
    alt = np.maximum(base - back, 0)
    return np.where(rng.random(n_events) < reuse, alt, base)


def lognormal_cents(
    rng: np.random.Generator, n: int, median_kzt: float, sigma: float, lo: float, hi: float
) -> np.ndarray:
    """Amounts in tiyn (1/100 KZT): mostly whole tenge, a fifth with tiyn."""
    kzt = np.clip(np.round(median_kzt * np.exp(sigma * rng.standard_normal(n))), lo, hi)
    cents = kzt.astype(np.int64) * 100
    frac = rng.random(n) < 0.2
    return cents + np.where(frac, rng.integers(0, 100, n), 0)


def round_to(cents: np.ndarray, step_kzt: int) -> np.ndarray:
    step = step_kzt * 100
    return np.maximum(np.round(np.asarray(cents) / step).astype(np.int64), 1) * step


def choice_idx(
    rng: np.random.Generator, probs: tuple[float, ...] | np.ndarray, n: int
) -> np.ndarray:
    p = np.asarray(probs, dtype=np.float64)
    return np.minimum(
        np.searchsorted(np.cumsum(p) / p.sum(), rng.random(n), side="right"), len(p) - 1
    )


def zipf_weights(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    """Heavy-tailed popularity, shuffled so that rank does not follow the index."""
    w = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    return rng.permutation(w)

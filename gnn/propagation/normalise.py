"""Map raw propagated mass to a per-entity risk score in [0, 1].

Degree. Raw PPR mass grows with degree (on an undirected graph a walk's stationary
vector is proportional to degree), so a busy merchant would look riskiest. We divide
by degree with a floor of one fresh full-weight edge: ``q = p / max(deg, 1)``.
Without the floor an entity whose only link is one old, decayed edge would be divided
by a tiny degree and time decay would cancel out.

Background. If seed mass were spread with no structure, ``p`` would be proportional
to degree and ``q`` would be the same everywhere: ``q_bg = sum(seeds) / sum(deg)``.
That is "no more exposed than anyone else" and maps to ``background_score`` (0.1). The
top of the scale is ``q_ref = alpha``, the mass a weight-1 seed of degree <= 1 keeps
from restarts alone (walks that return only add). Between the two the score is
log-linear::

    span  = clip(log10(q_ref / q_bg), min_decades, max_decades)
    score = b + (1 - b) * clip(1 + log10(q / q_ref) / span, 0, 1)       q >= q_floor

so each decade of exposure above background is worth ``(1 - b)/span``. Below the
background level (``q_floor = q_ref * 10**-span``, which is ``q_bg`` unless clipped)
the score goes on falling log-linearly from ``b`` to 0 over ``below_decades``::

    score = b * clip(1 + log10(q / q_floor) / below_decades, 0, 1)      q <  q_floor

Most accounts sit below background when the known cases are many (seeds keep most of
their own mass), and a hard zero there made every unknown account score alike (on
IBM AMLSim: all of them, ROC-AUC 0.50, where the ranking by raw exposure has 0.75).
The band below background keeps that ranking while staying in the low band.

The score is monotone in the raw mass. ``q_bg`` is fixed when a full propagation is
made and kept through incremental updates (so one new seed moves only its
neighbourhood, never everybody's scale); it is re-anchored at the next full run.
Finally a seed scores at least its own seed weight (a blacklisted account is 1.0
whatever its degree).
"""

from __future__ import annotations

import math

import numpy as np

from gnn.propagation.config import PropagationConfig


def degree_normalised(scores: np.ndarray, degree: np.ndarray) -> np.ndarray:
    return np.asarray(scores / np.maximum(degree, 1.0), dtype=np.float64)


def background_level(seeds: np.ndarray, degree: np.ndarray) -> float:
    """``q_bg``: total seed mass over total degree (0 for an empty graph)."""
    volume = float(np.maximum(degree, 1.0).sum())
    return float(np.clip(seeds, 0.0, None).sum()) / volume if volume > 0 else 0.0


def span_decades(config: PropagationConfig, background: float) -> float:
    if background <= 0.0:
        return config.max_decades
    span = math.log10(config.alpha / background)
    return float(min(max(span, config.min_decades), config.max_decades))


def floor_level(config: PropagationConfig, background: float) -> float:
    """The degree-normalised mass that maps to ``background_score`` (the background
    level, unless the span was clipped)."""
    return float(config.alpha * 10.0 ** (-span_decades(config, background)))


def push_eps(config: PropagationConfig, background: float) -> float:
    """Push tolerance in degree-normalised units (see ``PropagationConfig``)."""
    if config.push_eps is not None:
        return config.push_eps
    return config.push_eps_fraction * floor_level(config, background)


def normalise_scores(
    scores: np.ndarray,
    degree: np.ndarray,
    config: PropagationConfig | None = None,
    seeds: np.ndarray | None = None,
    background: float | None = None,
) -> np.ndarray:
    """Risk in [0, 1] per entity from raw PPR mass. ``background`` defaults to
    ``background_level(seeds, degree)`` (0, i.e. the widest span, without seeds); pass
    it explicitly when normalising a slice of the graph."""
    config = config or PropagationConfig()
    if background is None:
        background = background_level(seeds, degree) if seeds is not None else 0.0
    span = span_decades(config, background)
    q = degree_normalised(np.clip(scores, 0.0, None), degree)
    b = config.background_score
    with np.errstate(divide="ignore"):
        level = np.log10(q / config.alpha)
    above = b + (1.0 - b) * np.clip(1.0 + level / span, 0.0, 1.0)
    below = b * np.clip(1.0 + (level + span) / config.below_decades, 0.0, 1.0)
    out = np.where(level >= -span, above, below)
    if seeds is not None:
        out = np.maximum(out, np.clip(seeds, 0.0, 1.0))
    return np.asarray(out, dtype=np.float64)

"""Map raw propagated mass to a per-entity risk score in [0, 1].

Degree. Raw PPR mass grows with degree (on an undirected graph a walk's stationary
vector is proportional to degree), so a busy merchant would look riskiest. We divide
by degree with a floor of one fresh full-weight edge: ``q = p / max(deg, 1)``.
Without the floor an entity whose only link is one old, decayed edge would be divided
by a tiny degree and time decay would cancel out.

Background. If seed mass were spread with no structure, ``p`` would be proportional
to degree and ``q`` would be the same everywhere: ``q_bg = sum(seeds) / sum(deg)``.
That is "no more exposed than anyone else" and maps to 0. The top of the scale is
``q_ref = alpha``, the mass a weight-1 seed of degree <= 1 keeps from restarts alone
(walks that return only add). Between the two the score is log-linear::

    span  = clip(log10(q_ref / q_bg), min_decades, max_decades)
    score = clip(1 + log10(q / q_ref) / span, 0, 1)

so each decade of exposure above background is worth ``1/span``. The score is
monotone in the raw mass. ``q_bg`` is fixed when a full propagation is made and kept
through incremental updates (so one new seed moves only its neighbourhood, never
everybody's scale); it is re-anchored at the next full run. Finally a seed scores at
least its own seed weight (a blacklisted account is 1.0 whatever its degree).
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
    """The degree-normalised mass that maps to score 0."""
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
    with np.errstate(divide="ignore"):
        level = np.log10(q / config.alpha)
    out = np.clip(1.0 + level / span, 0.0, 1.0)
    if seeds is not None:
        out = np.maximum(out, np.clip(seeds, 0.0, 1.0))
    return np.asarray(out, dtype=np.float64)

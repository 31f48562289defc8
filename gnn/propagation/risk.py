"""One risk number and band from propagation, the GNN and the Cypher heuristics.

Rule (fixed weights, no fitting, so the number means the same thing every day)::

    z    = BIAS + W_PROPAGATION * propagation + W_GNN * gnn + W_HEURISTICS * heuristics
    risk = 1 / (1 + exp(-z))

Every input is a score in [0, 1]; a missing input (``None``) contributes 0, i.e. "no
evidence", never a penalty. All weights are positive, so the risk is strictly
increasing in each supplied input. With no evidence at all the risk is
sigmoid(-4) ≈ 0.018 (low). One source at full strength alone reaches ``high``
(propagation 1 -> 0.73, GNN 1 -> 0.73, heuristics 1 -> 0.50 medium, since heuristics
are rules that also fire on honest outliers); any two agreeing at full strength reach
``critical``. Bands are half-open intervals ``[lower, next lower)``.
"""

from __future__ import annotations

import math

import numpy as np

from fraudgraph.vocabulary import BANDS
from fraudgraph.vocabulary import band_of as _band_of
from gnn.propagation.errors import PropagationError

BIAS = -4.0
W_PROPAGATION = 5.0
W_GNN = 5.0
W_HEURISTICS = 4.0


def _check(name: str, value: float | None) -> float:
    if value is None:
        return 0.0
    v = float(value)
    if not 0.0 <= v <= 1.0 or math.isnan(v):
        raise PropagationError(f"{name} score must be in [0, 1], got {value}")
    return v


def band_of(risk: float) -> str:
    """The band a risk in [0, 1] falls in."""
    if not 0.0 <= risk <= 1.0:
        raise PropagationError(f"risk must be in [0, 1], got {risk}")
    return _band_of(risk)


def combine_risk(
    propagation: float, gnn: float | None = None, heuristics: float | None = None
) -> tuple[float, str]:
    """Combined risk in [0, 1] and its band (``low``/``medium``/``high``/``critical``)."""
    z = (
        BIAS
        + W_PROPAGATION * _check("propagation", propagation)
        + W_GNN * _check("gnn", gnn)
        + W_HEURISTICS * _check("heuristics", heuristics)
    )
    risk = 1.0 / (1.0 + math.exp(-z))
    return risk, band_of(risk)


def combine_risk_array(
    propagation: np.ndarray,
    gnn: np.ndarray | None = None,
    heuristics: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised ``combine_risk``; NaN in ``gnn``/``heuristics`` means missing for that
    entity. Returns (risk float64, band labels as a numpy str array)."""
    z = BIAS + W_PROPAGATION * np.clip(np.asarray(propagation, dtype=np.float64), 0.0, 1.0)
    for weight, part in ((W_GNN, gnn), (W_HEURISTICS, heuristics)):
        if part is not None:
            z = z + weight * np.nan_to_num(np.clip(np.asarray(part, np.float64), 0.0, 1.0))
    risk = 1.0 / (1.0 + np.exp(-z))
    bounds = np.array([b for b, _ in BANDS])
    names = np.array([n for _, n in BANDS])
    return risk, names[np.searchsorted(bounds, risk, side="right") - 1]

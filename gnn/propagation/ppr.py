"""Full personalised PageRank by power iteration over the propagation graph.

Definition (unnormalised seed vector ``s``, restart probability ``alpha``)::

    p = alpha * s + (1 - alpha) * P^T p,   P = D^-1 A  (row-normalised)
    p = alpha * (I - (1 - alpha) P^T)^-1 s

so ``p`` is linear in ``s``. Its total mass is at most ``sum(s)``: a step against a
transfer's direction is damped (``graph.py``) and the rest of that walk ends, and with
no damping (all upstream weights 1) the mass is exactly ``sum(s)``. An isolated node
(degree 0) is given an implicit self-loop: its mass stays on it rather than leaking
or being teleported elsewhere. That keeps the operator local, which the push
algorithm (incremental updates, explanations) relies on, and keeps an isolated seed
at full score.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from gnn.propagation.config import PropagationConfig
from gnn.propagation.errors import PropagationError
from gnn.propagation.graph import PropagationGraph

log = logging.getLogger(__name__)


@dataclass
class PprResult:
    scores: np.ndarray  # float64 per global index; sums to at most sum(seed vector)
    iterations: int
    converged: bool
    last_delta: float  # ||x_k - x_k-1||_1 / ||s||_1 at the last iteration


def inverse_degree(graph: PropagationGraph) -> np.ndarray:
    d = graph.degree
    out = np.zeros_like(d)
    np.divide(1.0, d, out=out, where=d > 0)
    return out


def transition_matrix(graph: PropagationGraph) -> sp.csr_array:
    """``P`` explicitly (substochastic where upstream steps are damped, isolated nodes
    with their self-loop). For
    inspection and small graphs: iterations use ``walk_transpose`` and never build it."""
    inv = sp.diags_array(inverse_degree(graph))
    loops = sp.diags_array(graph.isolated.astype(np.float64))
    return sp.csr_array(inv @ graph.adj + loops)


def walk_transpose(graph: PropagationGraph, x: np.ndarray, inv_deg: np.ndarray) -> np.ndarray:
    """P^T x with the isolated-node self-loop: A^T (x / d) + x on isolated nodes."""
    y = np.asarray(graph.adj_t @ (x * inv_deg))
    iso = np.flatnonzero(graph.isolated)
    y[iso] += x[iso]
    return y


def personalized_pagerank(
    graph: PropagationGraph,
    seeds: np.ndarray,
    config: PropagationConfig | None = None,
    *,
    x0: np.ndarray | None = None,
    progress: bool = False,
) -> PprResult:
    """Power iteration until the L1 change falls under ``tol * sum(seeds)``.

    The remaining error is then at most ``delta * (1 - alpha) / alpha`` in L1 (the
    iteration contracts by ``1 - alpha``). ``x0`` warm-starts from earlier scores.
    """
    config = config or PropagationConfig()
    s = np.asarray(seeds, dtype=np.float64)
    if s.shape != (graph.num_nodes,):
        raise PropagationError(f"seed vector has shape {s.shape}, graph has {graph.num_nodes}")
    if np.any(s < 0):
        raise PropagationError("seed weights must be non-negative")
    mass = float(s.sum())
    if mass == 0.0:
        return PprResult(np.zeros_like(s), 0, True, 0.0)
    alpha = config.alpha
    inv_deg = inverse_degree(graph)
    iso = np.flatnonzero(graph.isolated)
    restart = alpha * s
    x = s.copy() if x0 is None else np.asarray(x0, dtype=np.float64).copy()
    scratch = np.empty_like(x)
    delta = np.inf
    iterations = 0
    bar = tqdm(total=config.max_iter, desc="propagation", disable=not progress, leave=False)
    try:
        for iterations in range(1, config.max_iter + 1):  # noqa: B007
            np.multiply(x, inv_deg, out=scratch)
            y = np.asarray(graph.adj_t @ scratch)
            if iso.size:
                y[iso] += x[iso]
            y *= 1.0 - alpha
            y += restart
            np.subtract(y, x, out=scratch)
            delta = float(np.abs(scratch).sum()) / mass
            x = y
            bar.update(1)
            if delta < config.tol:
                break
    finally:
        bar.close()
    converged = delta < config.tol
    if not converged:
        log.warning("propagation stopped after %d iterations, delta %.3g", iterations, delta)
    return PprResult(x, iterations, converged, delta)

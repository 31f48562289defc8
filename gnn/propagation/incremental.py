"""Incremental risk propagation: new seeds update scores without a full recompute.

Holds the push state ``(p, r)`` of ``push.py`` for the current seed vector ``s``.
A new or changed seed adds its weight change to ``r`` at one node and pushes locally;
the invariant ``p + PPR(r) = PPR(s)`` makes the result agree with a full recompute to
within ``push_eps * deg`` per node (``push_eps`` in degree-normalised score units).

Only seed changes on existing nodes are incremental. New nodes or edges change the
matrix and its degrees, so they need a rebuilt graph (``build_propagation_graph`` on a
refreshed snapshot) and a new state, warm-started with ``personalized_pagerank(...,
x0=old_scores)`` padded for the new nodes.
"""

from __future__ import annotations

import logging

import numpy as np

from gnn.propagation.config import PropagationConfig
from gnn.propagation.errors import PropagationError
from gnn.propagation.graph import PropagationGraph
from gnn.propagation.normalise import background_level, normalise_scores, push_eps
from gnn.propagation.ppr import inverse_degree, personalized_pagerank, walk_transpose
from gnn.propagation.push import PushStats, above_threshold, push
from gnn.propagation.seeds import Seed

log = logging.getLogger(__name__)


class IncrementalPropagation:
    """Propagated scores kept current under seed changes."""

    def __init__(
        self,
        graph: PropagationGraph,
        seeds: np.ndarray,
        config: PropagationConfig | None = None,
        scores: np.ndarray | None = None,
    ) -> None:
        """Start from ``scores`` (e.g. a power-iteration result for ``seeds``) or, without
        them, from nothing by pushing the seeds themselves. The residual left by the
        given scores is computed exactly, so any starting estimate is corrected."""
        self.graph = graph
        self.config = config or PropagationConfig()
        self.seeds = np.asarray(seeds, dtype=np.float64).copy()
        n = graph.num_nodes
        if self.seeds.shape != (n,):
            raise PropagationError(f"seed vector has shape {self.seeds.shape}, graph has {n}")
        alpha = self.config.alpha
        # Fixed for the life of this state (see normalise.py): one seed moves only its
        # neighbourhood, not everybody's scale.
        self.background = background_level(self.seeds, graph.degree)
        self.eps = push_eps(self.config, self.background)
        if scores is None:
            self.p = np.zeros(n)
            self.r = self.seeds.copy()
        else:
            self.p = np.asarray(scores, dtype=np.float64).copy()
            # r = s - (I - (1 - alpha) P^T) p / alpha, so p + PPR(r) = PPR(s) exactly.
            back = walk_transpose(graph, self.p, inverse_degree(graph))
            self.r = self.seeds - (self.p - (1.0 - alpha) * back) / alpha
        start = above_threshold(self.r, graph.degree, np.arange(n), self.eps)
        self.last_stats = push(graph, self.p, self.r, start, self.eps, alpha)

    @classmethod
    def from_full(
        cls, graph: PropagationGraph, seeds: np.ndarray, config: PropagationConfig | None = None
    ) -> IncrementalPropagation:
        """Full power iteration, then the push state on top of it."""
        config = config or PropagationConfig()
        result = personalized_pagerank(graph, seeds, config)
        return cls(graph, seeds, config, result.scores)

    @property
    def scores(self) -> np.ndarray:
        return self.p

    def normalised(self, nodes: np.ndarray | None = None) -> np.ndarray:
        """Scores in [0, 1] (``normalise_scores``), for all nodes or the given ones."""
        if nodes is None:
            return normalise_scores(
                self.p, self.graph.degree, self.config, self.seeds, self.background
            )
        return normalise_scores(
            self.p[nodes], self.graph.degree[nodes], self.config, self.seeds[nodes], self.background
        )

    def set_seed_weight(
        self, index: int, weight: float, max_volume: int | None = None
    ) -> PushStats:
        """Set the seed weight of one node (0 removes it) and push the difference.
        ``stats.changed`` lists the nodes whose scores moved (write only those back)."""
        if not 0.0 <= weight <= 1.0:
            raise PropagationError(f"seed weight must be in [0, 1], got {weight}")
        delta = weight - float(self.seeds[index])
        self.seeds[index] = weight
        if delta == 0.0:
            return PushStats()
        self.r[index] += delta
        stats = push(
            self.graph,
            self.p,
            self.r,
            np.array([index]),
            self.eps,
            self.config.alpha,
            max_volume=max_volume,
        )
        if stats.truncated:
            log.warning("incremental push hit its volume budget; residual left for later")
        self.last_stats = stats
        return stats

    def add_seed(self, seed: Seed, max_volume: int | None = None) -> PushStats:
        """A new incident beneficiary or list entry: the node's seed weight becomes the
        larger of its current and the new weight (as in ``seed_vector``)."""
        if not 0.0 < seed.weight <= 1.0:
            raise PropagationError(f"seed weight must be in (0, 1], got {seed.weight}")
        index = self.graph.index_of(seed.node_type, seed.node_id)
        weight = max(float(self.seeds[index]), seed.weight)
        return self.set_seed_weight(index, weight, max_volume)

    def flush(self) -> PushStats:
        """Finish any pushes a volume budget cut short (scans the whole residual)."""
        n = self.graph.num_nodes
        start = above_threshold(self.r, self.graph.degree, np.arange(n), self.eps)
        return push(self.graph, self.p, self.r, start, self.eps, self.config.alpha)

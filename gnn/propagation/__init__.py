"""Risk propagation from known fraud: personalised PageRank over the typed graph,
incremental pushes for new seeds, per-entity explanations and the combined risk.

Typical use::

    graph = build_propagation_graph(snapshot, config)
    s = seed_vector(graph, seeds_from_snapshot(snapshot, config, as_of))
    state = IncrementalPropagation.from_full(graph, s, config)
    risk01 = state.normalised()                    # per global index, in [0, 1]
    state.add_seed(Seed("Account", acc_id, 1.0))   # a new incident beneficiary
    why = explain(graph, state.seeds, state.scores, "Account", other_id, config)
    risk, band = combine_risk(risk01[i], gnn=..., heuristics=...)

Where each choice is documented: graph construction, weights and the float64 choice
(``graph.py``, ``config.py``, ``edge_weights.py``); the PPR definition and isolated
nodes (``ppr.py``); the push and its error bound (``push.py``, ``incremental.py``); the
[0, 1] normalisation (``normalise.py``); the risk rule and bands (``risk.py``);
contributions by walk reversibility and most-probable paths (``explain.py``).
New nodes or edges need a rebuilt graph; only seed changes are incremental.
"""

from gnn.propagation.config import PropagationConfig
from gnn.propagation.errors import PropagationError, UnknownEntityError
from gnn.propagation.explain import Explanation, PathStep, SeedContribution, explain
from gnn.propagation.graph import PropagationGraph, build_propagation_graph
from gnn.propagation.incremental import IncrementalPropagation
from gnn.propagation.normalise import normalise_scores
from gnn.propagation.ppr import PprResult, personalized_pagerank
from gnn.propagation.push import PushStats
from gnn.propagation.risk import band_of, combine_risk, combine_risk_array
from gnn.propagation.seeds import Seed, seed_vector, seeds_from_snapshot

__all__ = [
    "Explanation",
    "IncrementalPropagation",
    "PathStep",
    "PprResult",
    "PropagationConfig",
    "PropagationError",
    "PropagationGraph",
    "PushStats",
    "Seed",
    "SeedContribution",
    "UnknownEntityError",
    "band_of",
    "build_propagation_graph",
    "combine_risk",
    "combine_risk_array",
    "explain",
    "normalise_scores",
    "personalized_pagerank",
    "seed_vector",
    "seeds_from_snapshot",
]

"""Tunable constants of risk propagation, in one frozen dataclass.

The defaults encode the AFC's judgement of how strongly each relationship carries
risk: money movement and holder links carry nearly all of it, shared devices and
phones somewhat less, and the victim side of an incident almost none (victims are
not suspects, but a victim paying several mules links those mules weakly).
Relationship types that are not listed here carry no risk at all (weight 0), so a
hub such as ``(:Account)-[:AT_BANK]->(:Bank)`` cannot smear risk over a whole bank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gnn.propagation.errors import PropagationError
from gnn.snapshot.graph import EdgeType

DEFAULT_REL_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "TRANSFERRED": 1.0,
        "USED": 0.8,
        "HOLDS": 0.9,
        "HAS_PHONE": 0.6,
        "SIM_EVENT": 0.6,
        "BENEFICIARY": 1.0,
        "VICTIM": 0.1,
        "CALLER": 0.9,
        "CALLED": 0.5,
        "LISTS": 1.0,
    }
)

DEFAULT_SEED_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"beneficiary": 1.0, "black": 1.0, "grey": 0.3}
)

# Money flows downstream: along a transfer, risk passes from payer to payee at the full
# weight and back towards the payer at this fraction. A victim who paid a mule is the
# upstream side of that transfer and inherits almost nothing; the mule's onward payees
# (the next layer of the scheme) inherit it in full.
DEFAULT_UPSTREAM_WEIGHTS: Mapping[str, float] = MappingProxyType({"TRANSFERRED": 0.1})

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class PropagationConfig:
    """How the typed snapshot becomes one weighted, directed propagation graph.

    Every relationship is walkable both ways; ``upstream_weights`` scales the walk
    against a relationship's direction (target to source), per relationship type, so
    risk follows money downstream. Types not listed there are symmetric (a shared
    device links both holders alike).

    ``alpha`` is the restart probability of the personalised PageRank: 0.15 means a
    walk from a seed takes 1/0.15 - 1 ≈ 5.7 steps on average, so risk fades over a
    handful of hops rather than leaking across the whole country's graph.

    Push tolerance (incremental updates): after a push every node has
    ``|residual| < eps * degree``, which bounds the error of the degree-normalised
    score ``p/deg`` by ``eps`` (the degree vector is a fixed point of the undirected
    walk, and the damped walk maps it to no more than itself; see ``graph.py``).
    ``eps`` is ``push_eps`` when set, else ``push_eps_fraction`` times the
    background level (the level that maps to ``background_score``, see ``normalise.py``), so
    incremental noise stays a fraction of the smallest visible score step.
    """

    rel_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_REL_WEIGHTS))
    # Exact (src type, rel, dst type) overrides win over rel_weights.
    edge_type_weights: Mapping[EdgeType, float] = field(default_factory=dict)
    # Transfers: weight *= log1p(amount) / log1p(amount_ref_kzt); 100k KZT -> 1.0,
    # 1k KZT -> 0.6, 100M KZT -> 1.6. Logarithmic so one huge payment cannot dominate.
    amount_rel: str = "TRANSFERRED"
    amount_ref_kzt: float = 100_000.0
    # Time decay 0.5 ** (age / half_life) for edges with a time; None disables it.
    half_life_days: float | None = 90.0
    alpha: float = 0.15
    tol: float = 1e-8  # power iteration stops when ||x_k+1 - x_k||_1 < tol * ||s||_1
    max_iter: int = 200
    push_eps: float | None = None
    push_eps_fraction: float = 0.1
    # Normalisation: the log-scale span between background and seed level is clipped to
    # [min_decades, max_decades] (see normalise.py).
    min_decades: float = 1.0
    max_decades: float = 6.0
    # Background exposure scores this; below it the score falls to 0 over below_decades
    # more, so accounts below background keep their order (normalise.py).
    background_score: float = 0.1
    below_decades: float = 6.0
    seed_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SEED_WEIGHTS))
    upstream_weights: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_UPSTREAM_WEIGHTS)
    )

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise PropagationError(f"alpha must be in (0, 1), got {self.alpha}")
        if self.tol <= 0 or (self.push_eps is not None and self.push_eps <= 0):
            raise PropagationError("tol and push_eps must be positive")
        if self.push_eps_fraction <= 0:
            raise PropagationError("push_eps_fraction must be positive")
        if self.max_iter < 1:
            raise PropagationError("max_iter must be at least 1")
        if self.half_life_days is not None and self.half_life_days <= 0:
            raise PropagationError("half_life_days must be positive (or None)")
        if self.amount_ref_kzt <= 0:
            raise PropagationError("amount_ref_kzt must be positive")
        if not 0 < self.min_decades <= self.max_decades:
            raise PropagationError("need 0 < min_decades <= max_decades")
        if not 0.0 <= self.background_score < 1.0 or self.below_decades <= 0:
            raise PropagationError("need 0 <= background_score < 1 and below_decades > 0")
        bad = [k for k, w in self.rel_weights.items() if w < 0]
        bad += [str(k) for k, w in self.edge_type_weights.items() if w < 0]
        if bad:
            raise PropagationError(f"negative relationship weights: {bad}")
        # Zero would make a payee a dead end for the walk and break the symmetric
        # sparsity pattern the transposed product relies on.
        bad_up = [k for k, w in self.upstream_weights.items() if not 0.0 < w <= 1.0]
        if bad_up:
            raise PropagationError(f"upstream weights must be in (0, 1]: {bad_up}")

    def weight_of(self, edge_type: EdgeType) -> float:
        """Base weight of one typed edge set; 0 means it is left out of the graph."""
        if edge_type in self.edge_type_weights:
            return float(self.edge_type_weights[edge_type])
        return float(self.rel_weights.get(edge_type[1], 0.0))

    def upstream_of(self, edge_type: EdgeType) -> float:
        """Fraction of the weight the walk gets against the relationship's direction."""
        return float(self.upstream_weights.get(edge_type[1], 1.0))

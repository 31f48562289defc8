"""A synthetic typed snapshot for benchmarks: heavy-tailed, shaped like the AFC graph.

Not a fraud simulator (that is ``fraudgraph generate``); it only needs realistic
sizes, type mix and degree skew so timings mean something. Endpoints are drawn as
``floor(size * u**skew)`` and then shuffled, so a few entities get a large share of
edges (shared devices, busy merchants) without the cache locality a sorted index
would give.
"""

from __future__ import annotations

import numpy as np

from gnn.snapshot.graph import EdgeSet, GraphSnapshot

TYPE_SHARES = {
    "Account": 0.55,
    "Person": 0.25,
    "Device": 0.10,
    "Phone": 0.08,
    "Incident": 0.01,
    "ListEntry": 0.01,
}
YEAR_S = 365.0 * 86_400.0
T_END = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def _skewed(rng: np.random.Generator, size: int, count: int, skew: float) -> np.ndarray:
    perm = rng.permutation(size)
    raw = np.minimum((size * rng.random(count) ** skew).astype(np.int64), size - 1)
    return perm[raw]


def synthetic_snapshot(
    n_nodes: int, n_edges: int, seed: int = 0, skew: float = 2.5
) -> GraphSnapshot:
    """About ``n_nodes`` nodes and ``n_edges`` edges (transfers fill what the structural
    edges leave). ListEntry nodes carry ``list`` (10% black, 90% grey)."""
    rng = np.random.default_rng(seed)
    sizes = {t: max(2, int(n_nodes * f)) for t, f in TYPE_SHARES.items()}
    nodes = {t: [f"{t[:3].lower()}_{i}" for i in range(k)] for t, k in sizes.items()}
    acc, per, dev, pho = sizes["Account"], sizes["Person"], sizes["Device"], sizes["Phone"]
    inc, lst = sizes["Incident"], sizes["ListEntry"]

    def times(k: int) -> np.ndarray:
        return T_END - YEAR_S * rng.random(k)

    accounts = np.arange(acc)
    edges: dict[tuple[str, str, str], EdgeSet] = {
        ("Person", "HOLDS", "Account"): EdgeSet(_skewed(rng, per, acc, 1.5), accounts),
        ("Account", "USED", "Device"): EdgeSet(accounts, _skewed(rng, dev, acc, skew)),
        ("Person", "HAS_PHONE", "Phone"): EdgeSet(np.arange(per), _skewed(rng, pho, per, 1.5)),
        ("Incident", "BENEFICIARY", "Account"): EdgeSet(
            np.repeat(np.arange(inc), 2), rng.integers(0, acc, 2 * inc), at=times(2 * inc)
        ),
        ("Incident", "VICTIM", "Account"): EdgeSet(
            np.arange(inc), rng.integers(0, acc, inc), at=times(inc)
        ),
        ("Incident", "CALLER", "Phone"): EdgeSet(np.arange(inc), rng.integers(0, pho, inc)),
        ("ListEntry", "LISTS", "Account"): EdgeSet(np.arange(lst), rng.integers(0, acc, lst)),
    }
    calls = max(0, min(pho, n_edges // 50))
    edges[("Phone", "CALLED", "Phone")] = EdgeSet(
        _skewed(rng, pho, calls, skew), rng.integers(0, pho, calls), at=times(calls)
    )
    used = sum(len(e) for e in edges.values())
    m = max(0, n_edges - used)
    src = _skewed(rng, acc, m, skew)
    dst = _skewed(rng, acc, m, skew)
    dst = np.where(dst == src, (dst + 1) % acc, dst)
    amount = np.round(np.exp(rng.normal(10.5, 1.5, m)), 0)
    edges[("Account", "TRANSFERRED", "Account")] = EdgeSet(src, dst, amount=amount, at=times(m))
    lists = np.where(rng.random(lst) < 0.1, "black", "grey")
    return GraphSnapshot(nodes=nodes, edges=edges, node_attrs={"ListEntry": {"list": lists}})

"""Mule clusters: communities of the high-risk subgraph, with ids stable across runs.

High-risk accounts are the known positives plus accounts whose GNN score reaches the
threshold. They are linked by transfers between them (weight log1p of the total KZT),
a shared holder (weight 3) or a device used by both (weight 2). Leiden (modularity,
fixed seed, vertices in snapshot order) finds the communities; communities smaller
than ``min_size`` are dropped.

Ids: a new community takes the id of the previous run's cluster it overlaps most, if
the Jaccard overlap is at least ``min_jaccard`` (greedy, best pairs first, each old id
used once); otherwise ``cl_`` + a hash of its smallest member id. Re-running on the
same data therefore gives the same ids, and a growing cluster keeps its id.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from gnn.clusters.emerging import growth_rate, payer_series, predict_next
from gnn.features.identity import holder_of
from gnn.snapshot.timed import TimedSnapshot

TRANSFERS = ("Account", "TRANSFERRED", "Account")
USED = ("Account", "USED", "Device")


@dataclass(frozen=True)
class ClusterConfig:
    min_size: int = 3
    min_jaccard: float = 0.3
    resolution: float = 1.0
    seed: int = 0
    window_days: float = 7.0
    windows: int = 8


@dataclass
class ClusterSummary:
    id: str
    members: list[str]
    size: int
    banks: int
    victims: int
    total_kzt: float
    scheme: str
    first_seen_ts: float
    growth: list[float]  # new external payers per window, oldest first
    growth_rate: float
    predicted_growth: float
    bank_codes: list[str] = field(default_factory=list)


def risk_edges(snap: TimedSnapshot, members: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray]:
    """Weighted undirected edges between member accounts (positions into ``members``)."""
    n = snap.count("Account")
    local = np.full(n, -1, dtype=np.int64)
    local[members] = np.arange(members.size)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    tr = snap.edge(TRANSFERS)
    if tr is not None and len(tr):
        a, b = local[tr.src], local[tr.dst]
        ok = (a >= 0) & (b >= 0) & (a != b)
        amount = np.nan_to_num(tr.amount[ok]) if tr.amount is not None else np.ones(ok.sum())
        parts.append((a[ok], b[ok], np.log1p(np.clip(amount, 0, None)) / 10.0))
    holder = holder_of(snap)[members]
    parts.append(_co_members(holder, 3.0))
    used = snap.edge(USED)
    if used is not None and len(used):
        sel = local[used.src] >= 0
        # A star per device over the members that used it: enough to connect them.
        for d_members in _groups(used.dst[sel], local[used.src[sel]]):
            if d_members.size > 1:
                parts.append((np.repeat(d_members[0], d_members.size - 1), d_members[1:],
                              np.full(d_members.size - 1, 2.0)))
    src = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    dst = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    w = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    key = lo * max(members.size, 1) + hi
    uniq, inv = np.unique(key, return_inverse=True)
    weight = np.bincount(inv, weights=w, minlength=uniq.size)
    return uniq // max(members.size, 1), uniq % max(members.size, 1), weight


def _groups(keys: np.ndarray, values: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(keys, kind="stable")
    k, v = keys[order], values[order]
    cuts = np.flatnonzero(np.diff(k)) + 1
    return [np.unique(g) for g in np.split(v, cuts)] if v.size else []


def _co_members(group: np.ndarray, weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A star per group of members sharing ``group`` (>= 0): enough to connect them."""
    idx = np.flatnonzero(group >= 0)
    srcs, dsts = [], []
    for g in _groups(group[idx], idx):
        if g.size > 1:
            srcs.append(np.repeat(g[0], g.size - 1))
            dsts.append(g[1:])
    if not srcs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    s, d = np.concatenate(srcs), np.concatenate(dsts)
    return s, d, np.full(s.size, weight)


def communities(snap: TimedSnapshot, members: np.ndarray, cfg: ClusterConfig) -> list[np.ndarray]:
    """Leiden communities of the member accounts (arrays of account positions), largest
    first, each of at least ``cfg.min_size`` members."""
    import igraph as ig
    import leidenalg

    members = np.sort(np.asarray(members, dtype=np.int64))
    if members.size == 0:
        return []
    src, dst, w = risk_edges(snap, members)
    g = ig.Graph(n=int(members.size), edges=np.stack([src, dst], axis=1).tolist(),
                 directed=False)
    g.es["weight"] = w.tolist()
    part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition,
                                    weights="weight", resolution_parameter=cfg.resolution,
                                    seed=cfg.seed, n_iterations=-1)
    out = [members[np.array(c, dtype=np.int64)] for c in part if len(c) >= cfg.min_size]
    out.sort(key=lambda c: (-c.size, int(c.min())))
    return out


def new_cluster_id(member_ids: list[str]) -> str:
    return "cl_" + hashlib.sha1(min(member_ids).encode()).hexdigest()[:12]


def assign_ids(groups: list[list[str]], previous: dict[str, set[str]],
               min_jaccard: float = 0.3) -> list[str]:
    """An id per group: the best-overlapping previous id, else a hash of its min member."""
    pairs: list[tuple[float, int, str]] = []
    for i, g in enumerate(groups):
        gs = set(g)
        for cid, old in previous.items():
            inter = len(gs & old)
            if inter:
                j = inter / len(gs | old)
                if j >= min_jaccard:
                    pairs.append((j, i, cid))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    ids: list[str | None] = [None] * len(groups)
    used: set[str] = set()
    for _j, i, cid in pairs:
        if ids[i] is None and cid not in used:
            ids[i] = cid
            used.add(cid)
    out: list[str] = []
    for i, g in enumerate(groups):
        cid = ids[i] or new_cluster_id(g)
        while cid in used and ids[i] is None:
            cid = "cl_" + hashlib.sha1(cid.encode()).hexdigest()[:12]
        used.add(cid)
        out.append(cid)
    return out


def first_payments(snap: TimedSnapshot, members: np.ndarray) -> np.ndarray:
    """For one cluster: the first time each external account paid any member."""
    tr = snap.edge(TRANSFERS)
    if tr is None or not len(tr) or tr.at is None:
        return np.zeros(0)
    inside = np.zeros(snap.count("Account"), dtype=bool)
    inside[members] = True
    sel = inside[tr.dst] & ~inside[tr.src]
    payers, at = tr.src[sel], tr.at[sel]
    if payers.size == 0:
        return np.zeros(0)
    first = np.full(snap.count("Account"), np.inf)
    np.minimum.at(first, payers, at)
    return first[np.isfinite(first)]


def summarise(snap: TimedSnapshot, members: np.ndarray, cid: str, cutoff: float,
              cfg: ClusterConfig) -> ClusterSummary:
    ids = snap.nodes["Account"]
    inside = np.zeros(snap.count("Account"), dtype=bool)
    inside[members] = True
    bank = snap.node_attr("Account", "bank")
    codes = sorted({str(b) for b in bank[members]} - {""}) if bank is not None else []
    tr = snap.edge(TRANSFERS)
    total = 0.0
    first_seen = float("nan")
    if tr is not None and len(tr):
        into = inside[tr.dst] & ~inside[tr.src]
        if tr.amount is not None:
            total = float(np.nansum(tr.amount[into]))
        if tr.at is not None and into.any():
            first_seen = float(np.nanmin(tr.at[into]))
    victims, scheme = _incidents(snap, inside)
    series = payer_series(first_payments(snap, members), cutoff, cfg.window_days, cfg.windows)
    return ClusterSummary(
        id=cid, members=[ids[i] for i in members.tolist()], size=int(members.size),
        banks=len(codes), victims=victims, total_kzt=round(total, 2), scheme=scheme,
        first_seen_ts=first_seen, growth=series.tolist(), growth_rate=growth_rate(series),
        predicted_growth=predict_next(series), bank_codes=codes)


def _incidents(snap: TimedSnapshot, inside: np.ndarray) -> tuple[int, str]:
    """Distinct victims of incidents naming a member as beneficiary, and the dominant
    reported scheme among those incidents ('unknown' when none)."""
    ben = snap.edge(("Incident", "BENEFICIARY", "Account"))
    if ben is None or not len(ben):
        return 0, "unknown"
    incidents = np.unique(ben.src[inside[ben.dst]])
    if incidents.size == 0:
        return 0, "unknown"
    vic = snap.edge(("Incident", "VICTIM", "Account"))
    victims = 0
    if vic is not None and len(vic):
        victims = int(np.unique(vic.dst[np.isin(vic.src, incidents)]).size)
    schemes = snap.node_attr("Incident", "scheme")
    if schemes is None:
        return victims, "unknown"
    top = Counter(str(s) for s in schemes[incidents]).most_common(1)
    return victims, top[0][0] if top else "unknown"

"""Structural features of the transfer multigraph, in the manner of IBM's Graph Feature
Preprocessor: fan-in and fan-out, cycles, scatter-gather and gather-scatter, each counted
inside sliding time windows. They need no known fraud nearby, so they find rings that no
incident touches yet.

Nothing here is in tenge or in hours. Window lengths come from the data
(`window_scales`): a window is as long as it takes an active account to make ``target``
transfers on average, so the same features work on a bank's minute-stamped transfers
and on day-granular simulator output. Amounts enter only as ratios to the data's own
median.

    structure_features(table, src, dst, amount, at, n)   # adds the "structure" group
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from gnn.features.table import FeatureTable, count, log1p, ratio

# Mean transfers per active account inside one window, one window length per target.
SCALE_TARGETS: tuple[float, ...] = (0.5, 1.0, 2.0)
# Strongly connected parts of a window graph up to this size are "rings"; larger ones are
# the hubs' webs, in which a cycle says nothing.
RING_MAX = 16
# Closed walks of these lengths through an account, inside a window's small components.
CYCLE_LENGTHS = tuple(range(2, 9))


@dataclass(frozen=True)
class Scale:
    target: float
    seconds: float


def time_granularity(at: np.ndarray) -> float:
    """The smallest positive gap between distinct timestamps (1 s when all coincide)."""
    u = np.unique(at[np.isfinite(at)])
    if u.size < 2:
        return 1.0
    return float(max(np.diff(u).min(), 1.0))


def window_scales(src: np.ndarray, at: np.ndarray, n_active: int,
                  targets: tuple[float, ...] = SCALE_TARGETS) -> list[Scale]:
    """Window lengths at which an active account makes ``target`` transfers on average,
    never shorter than two steps of the data's own time granularity."""
    fin = np.isfinite(at)
    if fin.sum() < 2 or n_active == 0:
        return []
    span = float(at[fin].max() - at[fin].min()) + time_granularity(at)
    per_account = fin.sum() / n_active
    step = time_granularity(at)
    return [Scale(t, max(t * span / per_account, 2.0 * step)) for t in targets]


def _window_slices(at_sorted: np.ndarray, length: float) -> list[tuple[int, int]]:
    """Half-overlapping windows [t, t + length) over time-sorted transfers."""
    t0, t1 = float(at_sorted[0]), float(at_sorted[-1])
    starts = np.arange(t0, t1 + 1e-9, length / 2.0)
    lo = np.searchsorted(at_sorted, starts, side="left")
    hi = np.searchsorted(at_sorted, starts + length, side="left")
    return [(int(a), int(b)) for a, b in zip(lo, hi, strict=True) if b - a > 0]


@dataclass
class _Acc:
    """Per-account maxima and counts over the windows of one scale."""

    n: int

    def __post_init__(self) -> None:
        z = np.zeros
        self.fan_in = z(self.n)
        self.fan_out = z(self.n)
        self.gather_scatter = z(self.n)
        self.ring_windows = z(self.n)
        self.ring_size_inv = z(self.n)
        self.cycles = z(self.n)
        self.sg_source = z(self.n)
        self.sg_sink = z(self.n)
        self.sg_middle = z(self.n)


def _window(acc: _Acc, s: np.ndarray, d: np.ndarray, n: int) -> None:
    keep = s != d
    s, d = s[keep], d[keep]
    if s.size == 0:
        return
    a = sp.csr_matrix((np.ones(s.size), (s, d)), shape=(n, n))
    a.data[:] = 1.0  # distinct counterparties, not transfers
    a.eliminate_zeros()
    indeg = np.asarray(a.sum(axis=0)).ravel()
    outdeg = np.asarray(a.sum(axis=1)).ravel()
    np.maximum(acc.fan_in, indeg, out=acc.fan_in)
    np.maximum(acc.fan_out, outdeg, out=acc.fan_out)
    np.maximum(acc.gather_scatter, np.minimum(indeg, outdeg), out=acc.gather_scatter)

    # Rings: small strongly connected parts of the window graph, and the closed walks
    # through each account inside them.
    _k, comp = connected_components(a, directed=True, connection="strong")
    size = np.bincount(comp)[comp]
    ring = (size > 1) & (size <= RING_MAX)
    acc.ring_windows += ring
    np.maximum(acc.ring_size_inv, np.where(ring, 1.0 / np.maximum(size, 1), 0.0),
               out=acc.ring_size_inv)
    nodes = np.flatnonzero(ring)
    if nodes.size:
        sub = a[nodes][:, nodes].tocsr()
        p = sub
        walks = np.zeros(nodes.size)
        for _length in CYCLE_LENGTHS[1:]:
            p = (p @ sub).tocsr()
            walks += p.diagonal()
        walks += (sub.multiply(sub.T)).sum(axis=1).A1  # length 2
        np.maximum.at(acc.cycles, nodes, walks)

    # Scatter-gather: u pays several intermediates that all pay the same v.
    two = (a @ a).tocsr()
    two.setdiag(0)
    two.eliminate_zeros()
    if two.nnz:
        strong = two.multiply(two >= 2).tocsr()
        strong.eliminate_zeros()
        if strong.nnz:
            np.maximum(acc.sg_source, strong.max(axis=1).toarray().ravel(), out=acc.sg_source)
            np.maximum(acc.sg_sink, strong.max(axis=0).toarray().ravel(), out=acc.sg_sink)
            rows, cols = strong.nonzero()
            # Intermediates: accounts x with u -> x and x -> v for a strong pair (u, v).
            mid = (a[rows].multiply(a.T[cols])).tocoo()
            if mid.nnz:
                np.add.at(acc.sg_middle, mid.col, 1.0)


def _amount_block(table: FeatureTable, src: np.ndarray, dst: np.ndarray,
                  amount: np.ndarray, n: int) -> None:
    """Per direction: count, mean, spread and maximum of amounts, as ratios to the data's
    median amount (scale-free)."""
    pos = amount[amount > 0]
    scale = float(np.median(pos)) if pos.size else 1.0
    rel = amount / scale
    for name, idx in (("out", src), ("in", dst)):
        c = count(idx, n)
        s = count(idx, n, rel)
        mean = ratio(s, c)
        sq = ratio(count(idx, n, rel * rel), c)
        std = np.sqrt(np.clip(sq - mean * mean, 0.0, None))
        mx = np.zeros(n)
        if idx.size:
            np.maximum.at(mx, idx, rel)
        table.add("structure", f"{name}_amount_mean_rel", log1p(mean))
        table.add("structure", f"{name}_amount_cv", ratio(std, mean))
        table.add("structure", f"{name}_amount_max_rel", log1p(mx))


def _repeat_block(table: FeatureTable, src: np.ndarray, dst: np.ndarray, at: np.ndarray,
                  n: int) -> None:
    """Repeated payments to one counterparty, and how regular their gaps are (scheduled
    laundering pays the same partner at a steady rhythm)."""
    if src.size == 0:
        for name in ("repeat_out_max", "repeat_in_max", "repeat_regularity"):
            table.add("structure", name, np.zeros(n))
        return
    key = src.astype(np.int64) * n + dst.astype(np.int64)
    order = np.lexsort((at, key))
    k, t = key[order], at[order]
    pair, start, per = np.unique(k, return_index=True, return_counts=True)
    ps, pd = pair // n, pair % n
    rep_out = np.zeros(n)
    rep_in = np.zeros(n)
    np.maximum.at(rep_out, ps, per.astype(np.float64))
    np.maximum.at(rep_in, pd, per.astype(np.float64))
    gaps = np.diff(t)
    same = k[1:] == k[:-1]
    gid = np.searchsorted(start, np.arange(1, k.size), side="right") - 1
    g_sum = np.bincount(gid[same], gaps[same], minlength=pair.size)
    g_sq = np.bincount(gid[same], gaps[same] ** 2, minlength=pair.size)
    g_n = np.bincount(gid[same], minlength=pair.size).astype(np.float64)
    mean = ratio(g_sum, g_n)
    cv = ratio(np.sqrt(np.clip(ratio(g_sq, g_n) - mean**2, 0.0, None)), mean)
    # Regularity of the account's most repeated partnership (>= 3 payments), 1 = steady.
    steady = np.where(per >= 3, 1.0 / (1.0 + cv), 0.0)
    reg = np.zeros(n)
    np.maximum.at(reg, ps, steady)
    np.maximum.at(reg, pd, steady)
    table.add("structure", "repeat_out_max", log1p(rep_out))
    table.add("structure", "repeat_in_max", log1p(rep_in))
    table.add("structure", "repeat_regularity", reg)


def _transfers_matrix(src: np.ndarray, dst: np.ndarray, n: int) -> sp.csr_matrix:
    """Transfers per (payer, payee) pair, self-transfers left out."""
    keep = src != dst
    return sp.csr_matrix((np.ones(int(keep.sum())), (src[keep], dst[keep])), shape=(n, n))


def _binary(m: sp.csr_matrix) -> sp.csr_matrix:
    """Distinct counterparties: every stored pair counts once."""
    b = m.copy()
    b.data[:] = 1.0
    return b


def _max_over(m: sp.csr_matrix, v: np.ndarray) -> np.ndarray:
    """Per row, the largest ``v`` among the columns it links to (0 without any)."""
    coo = m.tocoo()
    mx = np.zeros(m.shape[0])
    if coo.nnz:
        np.maximum.at(mx, coo.row, v[coo.col])
    return mx


def _neighbour_stats(table: FeatureTable, names: list[str], pays: sp.csr_matrix) -> None:
    """Mean and maximum of a few columns over each account's distinct counterparties, and
    their mean weighted by transfers: a ring's members look like each other, and the
    leaves of a laundering hub are told apart by the hub they hang on."""
    w = (pays + pays.T).tocsr()
    u = _binary(w)
    deg = np.asarray(u.sum(axis=1)).ravel()
    wdeg = np.asarray(w.sum(axis=1)).ravel()
    table.add("structure", "counterparties_log", log1p(deg))
    for name in ["counterparties_log", *names]:
        v = table.column(name)
        table.add("structure", f"nbr_mean_{name}", ratio(u @ v, deg))
        table.add("structure", f"nbr_max_{name}", _max_over(u, v))
        table.add("structure", f"nbr_wmean_{name}", ratio(w @ v, wdeg))


def _fan_leaf_stats(table: FeatureTable, tags: list[str], pays: sp.csr_matrix) -> None:
    """Per account, the maximum and mean fan-out of the accounts that paid it and the
    fan-in of the accounts it paid, at each window scale: a fan's leaves are ordinary on
    their own (one transfer in or out) and stand out only by the hub on the other side,
    which the undirected neighbour statistics blur with the leaf's other counterparties.
    (AMLSim-10k, offline on three split seeds: AP 0.804 / 0.876 / 0.869 without these
    columns, 0.811 / 0.875 / 0.882 with them; ROC-AUC higher on all three.)"""
    payees = _binary(pays)
    for prefix, base, m in (("payer", "fan_out", payees.T.tocsr()),
                            ("payee", "fan_in", payees)):
        deg = np.asarray(m.sum(axis=1)).ravel()
        for tag in tags:
            v = table.column(f"{base}_{tag}")
            table.add("structure", f"{prefix}_max_{base}_{tag}", _max_over(m, v))
            table.add("structure", f"{prefix}_mean_{base}_{tag}", ratio(m @ v, deg))


def structure_features(table: FeatureTable, src: np.ndarray, dst: np.ndarray,
                       amount: np.ndarray, at: np.ndarray, n: int) -> list[Scale]:
    """Add the ``structure`` group to ``table``; returns the window scales used."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    amount = np.nan_to_num(np.asarray(amount, dtype=np.float64), nan=0.0)
    at = np.asarray(at, dtype=np.float64)
    _amount_block(table, src, dst, amount, n)
    fin = np.isfinite(at)
    _repeat_block(table, src[fin], dst[fin], at[fin], n)
    active = int((count(src, n) + count(dst, n) > 0).sum())
    scales = window_scales(src, at, active)
    order = np.argsort(np.where(fin, at, np.inf), kind="stable")[: int(fin.sum())]
    s_sorted, d_sorted, t_sorted = src[order], dst[order], at[order]
    for i, scale in enumerate(SCALE_TARGETS):
        acc = _Acc(n)
        if i < len(scales):
            for lo, hi in _window_slices(t_sorted, scales[i].seconds):
                _window(acc, s_sorted[lo:hi], d_sorted[lo:hi], n)
        tag = f"w{scale:g}".replace(".", "_")
        table.add("structure", f"fan_in_{tag}", log1p(acc.fan_in))
        table.add("structure", f"fan_out_{tag}", log1p(acc.fan_out))
        table.add("structure", f"gather_scatter_{tag}", log1p(acc.gather_scatter))
        table.add("structure", f"ring_windows_{tag}", log1p(acc.ring_windows))
        table.add("structure", f"ring_tightness_{tag}", acc.ring_size_inv)
        table.add("structure", f"cycle_walks_{tag}", log1p(acc.cycles))
        table.add("structure", f"scatter_gather_src_{tag}", log1p(acc.sg_source))
        table.add("structure", f"scatter_gather_dst_{tag}", log1p(acc.sg_sink))
        table.add("structure", f"scatter_gather_mid_{tag}", log1p(acc.sg_middle))
    mid = f"w{SCALE_TARGETS[1]:g}".replace(".", "_")
    pays = _transfers_matrix(src, dst, n)
    _neighbour_stats(table, [f"fan_in_{mid}", f"fan_out_{mid}", f"cycle_walks_{mid}",
                             f"ring_windows_{mid}", "repeat_regularity"], pays)
    _fan_leaf_stats(table, [f"w{t:g}".replace(".", "_") for t in SCALE_TARGETS], pays)
    return scales

"""`TimedSnapshot` (as of a cut-off) + features -> PyG `HeteroData` for the GNN.

Model graph: accounts, persons, devices and phones; transfers, holder links, device
use, phone ownership and reported fraud calls, each with a reverse ``rev_<rel>`` type
so messages flow both ways while direction stays visible (money in vs money out).
Left out: banks (a super-node per bank), incidents and list entries (they *are* the
labels; known labels reach the model only through the label-trick flag) and signals.

Parallel transfers between two accounts become one edge with ``edge_attr`` =
[log1p(count), log1p(total KZT), days since the last one / 365, log1p(out port),
log1p(in port)], which keeps the graph small and gives models that use edge attributes
the amounts and times. Ports are Egressy et al.'s port numbering (Multi-GNN, AAAI 2024):
the payer numbers its payees, and the payee its payers, in the order money first went
between them, so a message says "the payer's 40th payee", which a sum of messages alone
cannot count in a multigraph.
Node positions are the snapshot's, so ``snapshot.nodes['Account'][i]`` is account i.
"""

from __future__ import annotations

import numpy as np
import torch
from torch_geometric.data import HeteroData

from fraudgraph.vocabulary import ACCOUNT, DEVICE, KIND_OF, PERSON, PHONE
from gnn.features.identity import person_stats
from gnn.features.table import count, log1p
from gnn.models.hetero import add_reverse_edges
from gnn.snapshot.timed import TimedSnapshot

DAY_S = 86_400.0
# In this order: the HeteroData's node types, hence the models' parameters, follow it.
NODE_TYPES: dict[str, str] = {lb: KIND_OF[lb] for lb in (ACCOUNT, PERSON, DEVICE, PHONE)}
MODEL_EDGES: dict[tuple[str, str, str], tuple[str, str, str]] = {
    ("Account", "TRANSFERRED", "Account"): ("account", "transferred", "account"),
    ("Person", "HOLDS", "Account"): ("person", "holds", "account"),
    ("Account", "USED", "Device"): ("account", "used", "device"),
    ("Person", "HAS_PHONE", "Phone"): ("person", "has_phone", "phone"),
    ("Phone", "CALLED", "Phone"): ("phone", "called", "phone"),
}
TARGET = "account"


def other_node_features(snap: TimedSnapshot, cutoff: float,
                        window_days: float) -> dict[str, np.ndarray]:
    """Small log-count features of persons, devices and phones (as of the cut-off)."""
    out: dict[str, np.ndarray] = {}
    stats = person_stats(snap, cutoff, window_days)
    if snap.count("Person"):
        out["person"] = np.stack([log1p(v) for v in stats.values()], axis=1)
    used = snap.edge(("Account", "USED", "Device"))
    n_dev = snap.count("Device")
    if n_dev:
        per_dev = count(used.dst, n_dev) if used is not None else np.zeros(n_dev)
        out["device"] = log1p(per_dev)[:, None]
    n_ph = snap.count("Phone")
    if n_ph:
        hp = snap.edge(("Person", "HAS_PHONE", "Phone"))
        calls = snap.edge(("Phone", "CALLED", "Phone"))
        cols = [count(hp.dst, n_ph) if hp is not None else np.zeros(n_ph)]
        cols.append(count(calls.src, n_ph) if calls is not None else np.zeros(n_ph))
        cols.append(count(calls.dst, n_ph) if calls is not None else np.zeros(n_ph))
        out["phone"] = np.stack([log1p(c) for c in cols], axis=1)
    return {k: v.astype(np.float32) for k, v in out.items()}


def port_numbers(node: np.ndarray, first: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per edge, its port at ``node``: 1 for the node's earliest counterparty, 2 for the
    next (ties by the counterparty's position), and so on. Edges are distinct pairs."""
    order = np.lexsort((other, first, node))
    ranked = node[order]
    starts = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, ranked.size]))
    ports = np.empty(node.size, dtype=np.int64)
    ports[order] = np.arange(node.size) - group_start + 1
    return ports


def _pairs(src: np.ndarray, dst: np.ndarray, n_dst: int,
           amount: np.ndarray | None, at: np.ndarray | None, cutoff: float,
           drop_self: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (src, dst) pairs with [log1p count, log1p KZT, years since last,
    log1p out port, log1p in port]; ``drop_self`` leaves out src == dst."""
    key = src.astype(np.int64) * max(n_dst, 1) + dst.astype(np.int64)
    uniq, inv = np.unique(key, return_inverse=True)
    k = uniq.size
    cnt = np.bincount(inv, minlength=k).astype(np.float64)
    amt = np.bincount(inv, weights=np.nan_to_num(amount), minlength=k) if amount is not None \
        else np.zeros(k)
    last = np.full(k, -np.inf)
    first = np.full(k, np.inf)
    if at is not None and at.size:
        np.maximum.at(last, inv, np.nan_to_num(at, nan=-np.inf))
        np.minimum.at(first, inv, np.nan_to_num(at, nan=np.inf))
    recency = np.where(np.isfinite(last), (cutoff - last) / (365 * DAY_S), 1.0)
    ps, pd = uniq // max(n_dst, 1), uniq % max(n_dst, 1)
    if drop_self:
        keep = ps != pd
        ps, pd, cnt, amt, recency, first = (a[keep] for a in (ps, pd, cnt, amt, recency, first))
    attr = np.stack([np.log1p(cnt), np.log1p(np.clip(amt, 0, None)), recency,
                     np.log1p(port_numbers(ps, first, pd)),
                     np.log1p(port_numbers(pd, first, ps))], axis=1)
    return ps, pd, attr.astype(np.float32)


def build_hetero(snap: TimedSnapshot, account_x: np.ndarray, cutoff: float,
                 node_x: dict[str, np.ndarray] | None = None) -> HeteroData:
    """``snap`` must already be an ``as_of(.., cutoff)`` view; ``account_x`` has one row
    per account (float32). ``node_x`` gives features of the other node types; types
    without them get a learned type vector in the models."""
    data = HeteroData()
    node_x = node_x or {}
    for label, nt in NODE_TYPES.items():
        n = snap.count(label)
        if n == 0:
            continue
        if nt == TARGET:
            data[nt].x = torch.from_numpy(np.ascontiguousarray(account_x, dtype=np.float32))
        elif nt in node_x:
            data[nt].x = torch.from_numpy(np.ascontiguousarray(node_x[nt], dtype=np.float32))
        else:
            data[nt].num_nodes = n
    for et, (s, rel, d) in MODEL_EDGES.items():
        es = snap.edge(et)
        if es is None or len(es) == 0 or s not in data.node_types or d not in data.node_types:
            continue
        src, dst, attr = _pairs(es.src, es.dst, snap.count(et[2]), es.amount, es.at, cutoff,
                                drop_self=s == d)
        store = data[s, rel, d]
        store.edge_index = torch.from_numpy(np.stack([src, dst]).astype(np.int64))
        if et[1] == "TRANSFERRED":
            store.edge_attr = torch.from_numpy(attr)
    return add_reverse_edges(data)

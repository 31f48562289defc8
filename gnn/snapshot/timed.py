"""A `GraphSnapshot` with its data hash, and its view as of a cut-off time.

``edge_attrs[edge type]`` (declared on `GraphSnapshot`) holds extra per-edge columns
aligned with the edge arrays: ``since`` (when a structural relationship began: an
account's opening for HOLDS, a device's first use, a phone's first SIM event), ``until``
(list expiry), ``channel``/``interbank`` codes of transfers, ``kind`` of SIM events,
``duration_s``.

The time of an edge is ``at`` where the relationship is an event (transfers, calls, SIM
events, incidents by their report time) and ``since`` otherwise; an edge with neither
is timeless (a signal) and is kept at every cut-off. Every feature and label is
computed from ``as_of(snapshot, T)``, so nothing from ``T`` on can leak into it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gnn.snapshot.graph import EdgeSet, EdgeType, GraphSnapshot

CHANNELS: tuple[str, ...] = ("app", "web", "atm", "pos", "branch", "qr", "ussd")
SIM_KINDS: tuple[str, ...] = ("new_sim", "swap", "port")
ACCOUNT_KINDS: tuple[str, ...] = ("personal", "business", "merchant")


@dataclass
class TimedSnapshot(GraphSnapshot):
    data_hash: str = ""
    as_of: float | None = None  # set on views made by `as_of`

    def node_attr(self, node_type: str, name: str) -> np.ndarray | None:
        return self.node_attrs.get(node_type, {}).get(name)

    def count(self, node_type: str) -> int:
        return len(self.nodes.get(node_type, []))

    def edge(self, edge_type: EdgeType) -> EdgeSet | None:
        return self.edges.get(edge_type)

    def earliest_time(self) -> float | None:
        """The oldest transfer time in the snapshot (None when there is none)."""
        t = edge_time(self, ("Account", "TRANSFERRED", "Account"))
        if t is None or not t.size or not np.isfinite(t).any():
            return None
        return float(np.nanmin(t))

    def latest_time(self) -> float:
        """The newest event or relationship time in the snapshot (0 when there is none)."""
        latest = 0.0
        for et in self.edges:
            t = edge_time(self, et)
            if t is not None and t.size:
                finite = t[np.isfinite(t)]
                if finite.size:
                    latest = max(latest, float(finite.max()))
        return latest


def edge_time(snapshot: TimedSnapshot, edge_type: EdgeType) -> np.ndarray | None:
    """Per-edge time (``at``, else ``since``), or None for timeless edge types."""
    es = snapshot.edges[edge_type]
    if es.at is not None:
        return es.at
    return snapshot.attrs(edge_type).get("since")


def as_of(snapshot: TimedSnapshot, cutoff: float) -> TimedSnapshot:
    """The graph as it was known just before ``cutoff``: edges timed at or after it are
    dropped (NaN times are kept: an unknown time is not evidence of the future). Node
    lists and positions are unchanged, so indices stay comparable across cut-offs."""
    edges: dict[EdgeType, EdgeSet] = {}
    attrs: dict[EdgeType, dict[str, np.ndarray]] = {}
    for et, es in snapshot.edges.items():
        t = edge_time(snapshot, et)
        extra = snapshot.attrs(et)
        if t is None:
            edges[et], attrs[et] = es, dict(extra)
            continue
        keep = ~(t >= cutoff)  # NaN compares False, so it is kept
        edges[et] = EdgeSet(
            es.src[keep],
            es.dst[keep],
            None if es.amount is None else es.amount[keep],
            None if es.at is None else es.at[keep],
        )
        attrs[et] = {k: v[keep] for k, v in extra.items()}
    return TimedSnapshot(
        nodes=snapshot.nodes,
        edges=edges,
        node_attrs=snapshot.node_attrs,
        edge_attrs=attrs,
        data_hash=snapshot.data_hash,
        as_of=cutoff,
    )

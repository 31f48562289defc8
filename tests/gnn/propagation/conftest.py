"""Hand-built snapshots for the propagation tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from gnn.snapshot.graph import EdgeSet, EdgeType, GraphSnapshot

# (src type, src id, rel, dst type, dst id, amount or None, at or None)
EdgeRow = tuple[str, str, str, str, str, float | None, float | None]
SnapshotFactory = Callable[[dict[str, Sequence[str]], Sequence[EdgeRow]], GraphSnapshot]


def build_snapshot(nodes: dict[str, Sequence[str]], rows: Sequence[EdgeRow]) -> GraphSnapshot:
    """Nodes by type, edges as readable rows; amounts/times NaN where a row has none."""
    index = {t: {k: i for i, k in enumerate(ids)} for t, ids in nodes.items()}
    grouped: dict[EdgeType, list[EdgeRow]] = {}
    for row in rows:
        grouped.setdefault((row[0], row[2], row[3]), []).append(row)
    edges: dict[EdgeType, EdgeSet] = {}
    for et, group in grouped.items():
        src = np.array([index[et[0]][r[1]] for r in group], dtype=np.int64)
        dst = np.array([index[et[2]][r[4]] for r in group], dtype=np.int64)
        amounts = [r[5] for r in group]
        ats = [r[6] for r in group]
        edges[et] = EdgeSet(
            src,
            dst,
            amount=None
            if all(a is None for a in amounts)
            else np.array([np.nan if a is None else a for a in amounts]),
            at=None
            if all(a is None for a in ats)
            else np.array([np.nan if a is None else a for a in ats]),
        )
    return GraphSnapshot(nodes={t: list(v) for t, v in nodes.items()}, edges=edges)


@pytest.fixture
def make_snapshot() -> SnapshotFactory:
    return build_snapshot

"""A feature table: named float32 columns over the accounts of a snapshot.

Every column belongs to a group: ``flow`` (money movement), ``identity`` (holder,
devices, phones), ``context`` (reports and lists around the account itself: victims who
paid it, listed holder or device), ``label`` (counts of *known positive* counterparties
and co-users) and ``signal`` (heuristic scores). The GNN does not take ``label``
columns as inputs, because message passing would echo an account's own label back to
it through its neighbours' counts (a 2-hop self-leak); it sees known labels through the
label-trick flag instead (`gnn/models/fit.py`). The tabular baseline takes every group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

GROUPS = ("flow", "structure", "identity", "context", "label", "signal")


@dataclass
class FeatureTable:
    names: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    columns: list[np.ndarray] = field(default_factory=list)

    def add(self, group: str, name: str, values: np.ndarray) -> None:
        if group not in GROUPS:
            raise ValueError(f"unknown feature group {group!r}")
        v = np.asarray(values, dtype=np.float64)
        if self.columns and v.shape != self.columns[0].shape:
            raise ValueError(f"feature {name}: shape {v.shape} != {self.columns[0].shape}")
        self.names.append(name)
        self.groups.append(group)
        self.columns.append(np.nan_to_num(v, nan=0.0, posinf=0.0, neginf=0.0))

    def matrix(self, groups: tuple[str, ...] | None = None) -> np.ndarray:
        cols = [c for c, g in zip(self.columns, self.groups, strict=True)
                if groups is None or g in groups]
        if not cols:
            return np.zeros((self.rows, 0), dtype=np.float32)
        return np.stack(cols, axis=1).astype(np.float32)

    def select(self, groups: tuple[str, ...]) -> list[str]:
        return [n for n, g in zip(self.names, self.groups, strict=True) if g in groups]

    def column(self, name: str) -> np.ndarray:
        return self.columns[self.names.index(name)]

    @property
    def rows(self) -> int:
        return int(self.columns[0].shape[0]) if self.columns else 0


def log1p(x: np.ndarray) -> np.ndarray:
    return np.log1p(np.clip(np.asarray(x, dtype=np.float64), 0.0, None))


def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b with 0 where b is 0."""
    out = np.zeros(np.broadcast(a, b).shape)
    np.divide(a, b, out=out, where=np.asarray(b) != 0)
    return out


def count(index: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(index, weights=weights, minlength=n).astype(np.float64)[:n]


def unique_int(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array. A sort and a mask: numpy 2.4's
    hash-based ``np.unique`` took 8 s on 5M int64 keys where this takes 0.06 s."""
    y = np.sort(x)
    if y.size == 0:
        return y
    keep = np.empty(y.size, dtype=bool)
    keep[0] = True
    np.not_equal(y[1:], y[:-1], out=keep[1:])
    return y[keep]


def distinct_pairs(a: np.ndarray, b: np.ndarray, nb: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (a, b) pairs of two index arrays."""
    if a.size == 0:
        return a, b
    key = unique_int(a.astype(np.int64) * max(nb, 1) + b.astype(np.int64))
    return key // max(nb, 1), key % max(nb, 1)

"""A compact set of 64-bit keys for millions of ids in bounded memory.

A Python set of 20M strings costs gigabytes; this keeps 8 bytes per key in sorted numpy
runs that merge as they grow (log-structured), so look-ups stay O(log n) per run.
"""

from __future__ import annotations

import hashlib

import numpy as np


def key64(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "little")


class U64Set:
    def __init__(self) -> None:
        self._runs: list[np.ndarray] = []
        self._pending: set[int] = set()
        self._pending_limit = 65536

    def __len__(self) -> int:
        return sum(len(r) for r in self._runs) + len(self._pending)

    def __contains__(self, key: int) -> bool:
        if key in self._pending:
            return True
        k = np.uint64(key)
        for run in self._runs:
            i = int(np.searchsorted(run, k))
            if i < len(run) and run[i] == k:
                return True
        return False

    def contains_many(self, keys: np.ndarray) -> np.ndarray:
        """Vectorised membership for a chunk of keys (one searchsorted per run)."""
        found = np.zeros(len(keys), dtype=bool)
        if self._pending:
            found |= np.fromiter((int(k) in self._pending for k in keys), bool, len(keys))
        for run in self._runs:
            i = np.searchsorted(run, keys)
            i[i == len(run)] = 0
            found |= run[i] == keys
        return found

    def add_many(self, keys: np.ndarray) -> None:
        self._flush()
        run = np.unique(keys.astype(np.uint64))
        if len(run):
            self._runs.append(run)
            self._merge()

    def add(self, key: int) -> None:
        self._pending.add(key)
        if len(self._pending) >= self._pending_limit:
            self._flush()

    def add_str(self, value: str) -> None:
        self.add(key64(value))

    def contains_str(self, value: str) -> bool:
        return key64(value) in self

    def _flush(self) -> None:
        if not self._pending:
            return
        run = np.fromiter(self._pending, dtype=np.uint64, count=len(self._pending))
        run.sort()
        self._pending = set()
        self._runs.append(run)
        self._merge()

    def _merge(self) -> None:
        # Binary-counter merging: a run merges with its predecessor once it is as big,
        # so n keys cost O(n log n) in all and live in O(log n) runs.
        while len(self._runs) > 1 and len(self._runs[-1]) >= len(self._runs[-2]):
            b = self._runs.pop()
            a = self._runs.pop()
            self._runs.append(np.unique(np.concatenate([a, b])))

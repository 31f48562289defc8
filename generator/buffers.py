"""Append-only column buffers for events produced piecemeal (per scheme, per step)."""

from __future__ import annotations

import numpy as np

from fraudgraph.vocabulary import ENTITY_KINDS as ENTITY_KINDS

# EK_* index ENTITY_KINDS: the generator stores kinds as these small integers.
EK_ACCOUNT, EK_PERSON, EK_PHONE, EK_DEVICE = range(4)
ROLES: tuple[str, ...] = (
    "mule",
    "layer",
    "collector",
    "hub",
    "cashout",
    "dropper",
    "mule_holder",
    "caller",
    "operator_device",
    "mule_device",
    "victim",
    "payer",
    "grey_listed_legit",
)
ROLE = {r: i for i, r in enumerate(ROLES)}


class Columns:
    """Named numpy columns; `add` appends equally long arrays, `take` concatenates."""

    def __init__(self, **dtypes: type | np.dtype) -> None:
        self._dtypes = {k: np.dtype(v) for k, v in dtypes.items()}
        self._parts: dict[str, list[np.ndarray]] = {k: [] for k in dtypes}

    def add(self, **cols: np.ndarray | int) -> None:
        n = next((np.shape(v)[0] for v in cols.values() if np.ndim(v) > 0), 1)
        missing = set(self._dtypes) - set(cols)
        if missing:
            raise KeyError(f"missing columns: {sorted(missing)}")
        for k, v in cols.items():
            arr = np.asarray(v, dtype=self._dtypes[k])
            if arr.ndim == 0:
                arr = np.full(n, arr, dtype=self._dtypes[k])
            if arr.shape[0] != n:
                raise ValueError(f"column {k} has {arr.shape[0]} rows, expected {n}")
            self._parts[k].append(arr)

    def take(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for k, parts in self._parts.items():
            if parts:
                out[k] = np.concatenate(parts)
            else:
                shape = (0, 3) if k == "ben" else (0,)
                out[k] = np.zeros(shape, dtype=self._dtypes[k])
        return out


def select(cols: dict[str, np.ndarray], mask_or_idx: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[mask_or_idx] for k, v in cols.items()}


def transfer_columns() -> Columns:
    return Columns(
        src=np.int64, dst=np.int64, at=np.int64, cents=np.int64, channel=np.int8, scheme=np.int32
    )


def login_columns() -> Columns:
    return Columns(acc=np.int64, dev=np.int64, ip=np.int64, at=np.int64)


def call_columns() -> Columns:
    return Columns(caller=np.int64, callee=np.int64, at=np.int64, duration=np.int32)


def label_columns() -> Columns:
    return Columns(
        kind=np.int8, idx=np.int64, role=np.int8, scheme=np.int32, fraud=np.bool_, active=np.int64
    )


def victim_columns() -> Columns:
    """One row per victim (or payer): `ben` holds up to 3 first-hop accounts, -1 padded."""
    return Columns(
        acc=np.int64,
        scheme=np.int32,
        first_at=np.int64,
        last_at=np.int64,
        cents=np.int64,
        ben=np.int64,
        caller=np.int64,
        role=np.int8,
    )

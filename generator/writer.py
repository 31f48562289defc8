"""Streaming feed writers: CSV (RFC 4180, unquoted since no generated value needs quotes)
or Parquet with typed columns (timestamps with the +05:00 zone, amounts as float64 KZT,
booleans, integers). Batches are written as they come; nothing accumulates in memory.
Output is byte-identical for identical input (no timestamps or random ids in the files).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from generator.config import TZ_OFFSET_S
from generator.errors import GenerateError
from generator.population import NO_TIME

Column = tuple[str, str]  # (name, type): str, ts, amount, bool, int; a trailing ? = nullable

FEEDS: dict[str, tuple[Column, ...]] = {
    "accounts": (
        ("iban", "str"),
        ("bank", "str"),
        ("holder_iin", "str"),
        ("opened_at", "ts"),
        ("kind", "str"),
    ),
    "devices": (("device_id", "str"), ("platform", "str"), ("first_seen_at", "ts")),
    "phones": (
        ("event_id", "str"),
        ("number", "str"),
        ("operator", "str"),
        ("holder_iin", "str"),
        ("event", "str"),
        ("at", "ts"),
    ),
    "logins": (
        ("session_id", "str"),
        ("iban", "str"),
        ("device_id", "str"),
        ("ip", "str"),
        ("at", "ts"),
    ),
    "transfers": (
        ("tx_id", "str"),
        ("from_iban", "str"),
        ("to_iban", "str"),
        ("amount_kzt", "amount"),
        ("at", "ts"),
        ("channel", "str"),
        ("interbank", "bool"),
    ),
    "calls": (
        ("call_id", "str"),
        ("caller", "str"),
        ("callee", "str"),
        ("at", "ts"),
        ("duration_s", "int"),
    ),
    "incidents": (
        ("incident_id", "str"),
        ("reported_at", "ts"),
        ("reporter", "str"),
        ("scheme", "str"),
        ("victim_iban", "str"),
        ("amount_kzt", "amount"),
        ("beneficiary_ibans", "str"),
        ("caller_phone", "str?"),
        ("occurred_at", "ts?"),
    ),
    "list_entries": (
        ("entry_id", "str"),
        ("entity_kind", "str"),
        ("entity_id", "str"),
        ("list", "str"),
        ("reason", "str"),
        ("source", "str"),
        ("since", "ts"),
        ("until", "ts?"),
    ),
}
MINIMAL_FEEDS = ("accounts", "transfers", "list_entries")
TRUTH: dict[str, tuple[Column, ...]] = {
    "entities": (
        ("entity_kind", "str"),
        ("entity_id", "str"),
        ("is_fraud", "int"),
        ("role", "str"),
        ("scheme_id", "str?"),
        ("scheme_type", "str?"),
        ("active_from", "ts?"),
        ("known_at", "ts?"),
    ),
    "schemes": (
        ("scheme_id", "str"),
        ("scheme_type", "str"),
        ("start_at", "ts"),
        ("end_at", "ts"),
        ("accounts", "int"),
        ("victims", "int"),
        ("total_kzt", "amount"),
    ),
    "fraud_transfers": (("tx_id", "str"), ("scheme_id", "str")),
}
PARQUET_TZ = "+05:00"


def as_strings(v: Any) -> pa.Array:
    if isinstance(v, pa.ChunkedArray):
        v = v.combine_chunks()
    if isinstance(v, pa.Array):
        return v if v.type == pa.string() else v.cast(pa.string())
    arr = np.asarray(v)
    if arr.dtype.kind == "S":
        return pa.array(arr, type=pa.binary()).cast(pa.string())
    return pa.array(list(arr), type=pa.string())


def _iso(ts: np.ndarray) -> pa.Array:
    local = (np.asarray(ts, dtype=np.int64) + TZ_OFFSET_S).astype("datetime64[s]")
    s = np.char.add(np.datetime_as_string(local).astype("S19"), b"+05:00")
    return pa.array(s, type=pa.binary()).cast(pa.string())


def _amount_text(cents: np.ndarray) -> pa.Array:
    c = np.asarray(cents, dtype=np.int64)
    whole = pc.cast(pa.array(c // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(c % 100), pa.string()), 2, "0")
    return pc.binary_join_element_wise(whole, frac, ".")


def _column(kind: str, v: Any, fmt: str) -> pa.Array:
    base = kind.rstrip("?")
    if base == "str":
        return as_strings(v)
    arr = np.asarray(v)
    if base == "ts":
        null = arr >= NO_TIME
        if fmt == "csv":
            out = _iso(np.where(null, 0, arr))
        else:
            out = pa.array(np.where(null, 0, arr), type=pa.int64()).cast(
                pa.timestamp("s", PARQUET_TZ)
            )
        return pc.if_else(pa.array(null), pa.scalar(None, out.type), out) if null.any() else out
    if base == "amount":
        return _amount_text(arr) if fmt == "csv" else pa.array(arr.astype(np.int64) / 100.0)
    if base == "bool":
        return pa.array(arr.astype(bool))
    if base == "int":
        return pa.array(arr.astype(np.int64))
    raise GenerateError(f"unknown column type {kind}")


class FeedWriter:
    """One feed file, written batch by batch."""

    def __init__(self, path: Path, columns: tuple[Column, ...], fmt: str) -> None:
        self.path, self.columns, self.fmt = path, columns, fmt
        self.rows = 0
        self._csv: pcsv.CSVWriter | None = None
        self._pq: pq.ParquetWriter | None = None
        self._sink: pa.NativeFile | None = None
        self._schema: pa.Schema | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            self._sink = pa.OSFile(str(path), "wb")
            self._sink.write((",".join(c for c, _ in columns) + "\n").encode())

    def write(self, batch: dict[str, Any]) -> None:
        arrays = [_column(kind, batch[name], self.fmt) for name, kind in self.columns]
        n = len(arrays[0]) if arrays else 0
        if n == 0:
            return
        table = pa.Table.from_arrays(arrays, names=[c for c, _ in self.columns])
        if self.fmt == "csv":
            if self._csv is None:
                assert self._sink is not None
                opts = pcsv.WriteOptions(
                    include_header=False, quoting_style="none", batch_size=65_536
                )
                self._csv = pcsv.CSVWriter(self._sink, table.schema, write_options=opts)
            self._csv.write_table(table)
        else:
            if self._pq is None:
                self._schema = table.schema
                self._pq = pq.ParquetWriter(str(self.path), table.schema, compression="zstd")
            self._pq.write_table(table.cast(self._schema))
        self.rows += n

    def close(self) -> int:
        if self._csv is not None:
            self._csv.close()
        if self._sink is not None:
            self._sink.close()
        if self.fmt == "parquet" and self._pq is None:
            pq.write_table(self._empty_table(), str(self.path), compression="zstd")
        if self._pq is not None:
            self._pq.close()
        return self.rows

    def _empty_table(self) -> pa.Table:
        types = {
            "str": pa.string(),
            "ts": pa.timestamp("s", PARQUET_TZ),
            "amount": pa.float64(),
            "bool": pa.bool_(),
            "int": pa.int64(),
        }
        return pa.table({c: pa.array([], type=types[k.rstrip("?")]) for c, k in self.columns})

    def __enter__(self) -> FeedWriter:
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

"""Streaming readers: CSV and Parquet feeds as (row number, raw dict | structural error).

Memory stays bounded whatever the file size: CSV goes line by line through the csv
module, Parquet batch by batch. A malformed CSV record (wrong field count, bad quoting,
invalid UTF-8) comes back as a per-row error instead of stopping the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph_loader.errors import FeedError

# The csv module's own limit, far above any legal value: a longer field reaches its
# parser, which rejects it naming the field (`reason: longer than 500 characters`); only a
# field past this bound is a malformed record, as the csv module cannot say which field.
MAX_FIELD = 64 * 2**20

RawRecord = tuple[int, dict[str, Any] | None, str | None]  # (row, values, structural error)


def find_feed_file(directory: Path, feed: str) -> Path | None:
    for ext in ("csv", "parquet"):
        p = directory / f"{feed}.{ext}"
        if p.exists():
            return p
    return None


def read_rows(path: Path, columns: tuple[str, ...]) -> Iterator[RawRecord]:
    if path.suffix == ".parquet":
        yield from _read_parquet(path, columns)
    elif path.suffix == ".csv":
        yield from _read_csv(path, columns)
    else:
        raise FeedError(f"{path}: unknown format (expected .csv or .parquet)")


def _read_csv(path: Path, columns: tuple[str, ...]) -> Iterator[RawRecord]:
    csv.field_size_limit(MAX_FIELD)
    # surrogateescape keeps undecodable bytes visible, so the row (not the file) is rejected.
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        first = fh.readline()
        if not first:
            raise FeedError(f"{path}: empty file, no header row")
        header = next(csv.reader(io.StringIO(first.lstrip("\ufeff"))))
        header = [h.strip() for h in header]
        missing = [c for c in columns if c not in header and c not in _OPTIONAL]
        if missing:
            raise FeedError(f"{path}: header lacks required column(s): {', '.join(missing)}")
        reader = csv.reader(fh, strict=True)
        row_no = 0
        while True:
            row_no += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                if "field larger than field limit" in str(e):
                    e = csv.Error(f"a field is longer than {MAX_FIELD // 2**20} MiB")
                yield row_no, None, f"malformed CSV record: {e}"
                continue
            if not values or (len(values) == 1 and not values[0].strip()):
                row_no -= 1  # blank lines are not rows
                continue
            if len(values) != len(header):
                yield (
                    row_no,
                    None,
                    f"malformed CSV record: expected {len(header)} fields, got {len(values)}",
                )
                continue
            yield row_no, dict(zip(header, values, strict=True)), None


def _read_parquet(path: Path, columns: tuple[str, ...]) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several types for a corrupt file
        raise FeedError(f"{path}: not a readable Parquet file: {e}") from e
    names = pf.schema_arrow.names
    missing = [c for c in columns if c not in names and c not in _OPTIONAL]
    if missing:
        raise FeedError(f"{path}: lacks required column(s): {', '.join(missing)}")
    use = [c for c in columns if c in names]
    row_no = 0
    for batch in pf.iter_batches(batch_size=20_000, columns=use):
        cols = {name: batch.column(name).to_pylist() for name in use}
        for i in range(batch.num_rows):
            row_no += 1
            yield row_no, {name: cols[name][i] for name in use}, None


_OPTIONAL = {"caller_phone", "occurred_at", "until"}

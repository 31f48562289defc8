"""`fraudgraph load DIR`: validate, pseudonymise and write feeds into Neo4j.

Pipeline per file: read (streaming) -> shape/validate (pure, feeds.py) -> batches of
UNWIND rows -> writer threads with a bounded queue (writer.py), so Python validation and
Neo4j writes overlap on the two cores while memory stays bounded. Each batch commits
together with a progress record, so a crashed load resumes without duplicates or loss.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import psutil
from neo4j import Driver
from tqdm import tqdm

from cypher import statement, template
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.vocabulary import LOADED_LABELS, LOADED_RELS
from graph_loader.errors import GraphLoaderError
from graph_loader.feeds import FEEDS, FEEDS_BY_NAME, Feed, RowRejected, ShapeContext, Shaped
from graph_loader.hashset import U64Set, key64
from graph_loader.reader import RawRecord, find_feed_file, read_rows
from graph_loader.report import FileReport, LoadReport, RejectsWriter, redacted_row
from graph_loader.vectorised import shape_many
from graph_loader.writer import Writers, cypher, read_progress

log = logging.getLogger(__name__)


def batch_params(feed: Feed, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The parameters of one batch statement: `$rows` (a list of maps), or for the
    high-volume feeds one list per field, which spares Neo4j decoding a map per row."""
    if not feed.columnar:
        return {"rows": rows}
    return {name: [r[name] for r in rows] for name in rows[0]}


def write_statement(feed_name: str, rows: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The statement and parameters that write rows of one feed, already shaped (validated
    and pseudonymised: feeds.py), as a batch of a load would: for a caller that writes in
    its own transaction (the API's incidents and list entries)."""
    feed = FEEDS_BY_NAME[feed_name]
    return cypher(feed.name), batch_params(feed, rows)


def file_key(path: Path, feed: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return f"{feed}:{h.hexdigest()[:32]}"


def _known_accounts(driver: Driver, database: str) -> U64Set:
    """Accounts loaded from an accounts feed. A list entry may MERGE a bare Account for an
    IBAN no participant has sent (loader, API); counting it as known would let a reload
    accept a transfer the first load rightly rejected as dangling, and report it loaded
    although the committed range it lies in is never written again."""
    known = U64Set()
    with driver.session(database=database, default_access_mode="READ") as session:
        for rec in session.run(statement("load/known_accounts")):
            known.add(key64(rec["id"]))
    return known


PROVENANCE_KEY = "provenance"
# Rows shaped together: large enough for pyarrow's column kernels to pay off, small
# enough to keep memory flat.
SHAPE_CHUNK = 8192


def mark_provenance(driver: Driver, database: str, directory: Path) -> None:
    """Whether the graph holds anything but generated worlds (a directory with the
    generator's truth/manifest.json): tools that reset a graph for their own synthetic
    world (the notebooks) refuse a graph that ever took real feeds."""
    real = not (directory / "truth" / "manifest.json").is_file()
    driver.execute_query(
        statement("load/provenance"), key=PROVENANCE_KEY, real=real, database_=database)


class _KnownDevices:
    """The graph's device pseudonyms, read at the first question: only free text asks, and
    the list entries that hold it are loaded after the devices and logins feeds."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver, self.database = driver, database
        self.keys: U64Set | None = None

    def __contains__(self, pseudonym: str) -> bool:
        if self.keys is None:
            self.keys = U64Set()
            with self.driver.session(database=self.database,
                                     default_access_mode="READ") as session:
                for rec in session.run(statement("load/known_devices")):
                    self.keys.add(key64(rec["id"]))
        return key64(pseudonym) in self.keys


class Sink(Protocol):
    """Where the shaped, deduplicated batches of one feed file go: Neo4j's write
    transactions (online), or the bulk importer's files (bulk.py)."""

    def banks(self, codes: list[str]) -> None: ...

    def batch(self, rows: list[dict[str, Any]], progress: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class OnlineSink:
    """Batches as UNWIND statements on writer threads (writer.py), each committed with
    its progress record."""

    def __init__(self, driver: Driver, database: str, feed: Feed, writers: int) -> None:
        self.feed = feed
        self.query = cypher(feed.name)
        self.fast = cypher(f"{feed.name}_create") if feed.fast_path else None
        # Only the event feeds' rows are independent of each other (CREATE, guarded by
        # uniqueness constraints); the others MERGE shared nodes and keep one writer,
        # which also keeps the accounts feed's Bank rows ahead of the accounts needing them.
        self.writer = Writers(driver, database, writers if feed.fast_path else 1)

    def banks(self, codes: list[str]) -> None:
        self.writer.put(cypher("banks"), {"rows": codes}, None, None)

    def batch(self, rows: list[dict[str, Any]], progress: dict[str, Any]) -> None:
        self.writer.put(self.query, batch_params(self.feed, rows), self.fast, progress)

    def close(self) -> None:
        self.writer.close()


@dataclass
class Loading:
    """The state one load shares across its files: the shaping context, the accounts
    known so far, the rejects file and the report."""

    driver: Driver
    database: str
    pseudo: Pseudonymiser
    ctx: ShapeContext
    known: U64Set
    rejects: RejectsWriter
    report: LoadReport
    batch_size: int
    budget: list[int | None]
    t0: float
    peak: int = 0

    def load_file(self, feed: Feed, path: Path, sink: Sink, progress: bool) -> FileReport:
        job = _FileLoad(self, feed, path, sink)
        self.report.files.append(job.report)
        job.run(progress)
        self.peak = max(self.peak, job.peak_rss)
        return job.report

    def finish(self) -> LoadReport:
        self.rejects.close()
        report = self.report
        report.peak_rss_mb = round(
            max(self.peak, psutil.Process().memory_info().rss) / 2**20, 1)
        report.graph_nodes, report.graph_relationships = graph_counts(self.driver,
                                                                      self.database)
        report.seconds = round(time.monotonic() - self.t0, 3)
        report.finished_at = datetime.now(UTC).isoformat()
        return report


def feed_files(directory: Path) -> list[tuple[Feed, Path]]:
    """The feed files of a directory, in load order (FEEDS)."""
    files = [(f, p) for f in FEEDS if (p := find_feed_file(directory, f.name)) is not None]
    if not files:
        raise GraphLoaderError(f"{directory}: no feed files (expected e.g. accounts.csv)")
    return files


def start_loading(driver: Driver, database: str, directory: Path, pseudo: Pseudonymiser, *,
                  rejects_path: Path, batch_size: int, now: datetime | None,
                  stop_after_batches: int | None = None) -> Loading:
    now = now or datetime.now(UTC)
    known = _known_accounts(driver, database)
    ctx = ShapeContext(now=now, pseudo=pseudo, account_known=lambda a: key64(a) in known,
                       device_known=_KnownDevices(driver, database).__contains__)
    report = LoadReport(directory=str(directory), started_at=now.isoformat(),
                        rejects_file=str(rejects_path))
    return Loading(driver, database, pseudo, ctx, known,
                   RejectsWriter(rejects_path), report, batch_size, [stop_after_batches],
                   time.monotonic())


def load_directory(
    driver: Driver,
    database: str,
    directory: Path,
    pseudo: Pseudonymiser,
    *,
    rejects_path: Path,
    batch_size: int = 10000,
    writers: int = 2,
    now: datetime | None = None,
    progress: bool = True,
    stop_after_batches: int | None = None,
) -> LoadReport:
    """Load every feed file found in `directory`. Returns the reconciled report.

    `writers`: concurrent write transactions for the event feeds (transfers, calls).
    `stop_after_batches` interrupts the load after that many batches (crash simulation).
    """
    files = feed_files(directory)
    # Before the first batch: a load that crashes half-way has still brought its data in.
    mark_provenance(driver, database, directory)
    loading = start_loading(driver, database, directory, pseudo, rejects_path=rejects_path,
                            batch_size=batch_size, now=now,
                            stop_after_batches=stop_after_batches)
    try:
        for feed, path in files:
            loading.load_file(feed, path, OnlineSink(driver, database, feed, writers),
                              progress)
    except BaseException:
        loading.rejects.close()
        raise
    return loading.finish()


class _FileLoad:
    """One feed file: read -> shape -> deduplicate per chunk -> queue batches."""

    def __init__(self, loading: Loading, feed: Feed, path: Path, sink: Sink) -> None:
        self.driver, self.database = loading.driver, loading.database
        self.feed, self.path, self.ctx, self.known = feed, path, loading.ctx, loading.known
        self.rejects, self.pseudo = loading.rejects, loading.pseudo
        self.batch_size = loading.batch_size
        self.budget = loading.budget  # batches left before a simulated crash; [None]: no end
        self.sink = sink
        self.report = FileReport(file=str(path), feed=feed.name)
        self.key = file_key(path, feed.name)
        self.progress = read_progress(self.driver, self.database, self.key)
        self.report.resumed_from_row = self.progress.highest
        # Rows up to here are covered by batches already queued; each batch claims the
        # rows after it, so rejected and already-committed rows fall inside some range.
        self.after = 0
        self.seen = U64Set()
        self.pending: list[tuple[int, dict[str, Any], Shaped]] = []
        self.peak_rss = 0

    def run(self, progress: bool) -> None:
        t0 = time.monotonic()
        fr = self.report
        if self.progress.highest:
            log.info("%s: resuming; rows up to %d committed, and %d ranges beyond",
                     self.path.name, self.progress.done, len(self.progress.ahead))
        proc = psutil.Process()
        bar = tqdm(desc=f"load {self.feed.name}", unit="rows", disable=not progress,
                   mininterval=1.0)
        try:
            chunk: list[RawRecord] = []
            for record in read_rows(self.path, self.feed.columns):
                fr.read += 1
                chunk.append(record)
                if len(chunk) >= SHAPE_CHUNK:
                    self.shape(chunk)
                    chunk = []
                if fr.read % 10000 == 0:
                    bar.update(10000)
                    self.peak_rss = max(self.peak_rss, proc.memory_info().rss)
            self.shape(chunk)
            self.settle()
        finally:
            self.sink.close()
            bar.update(fr.read - bar.n)  # the rows after the last full step of 10,000
            bar.close()
        fr.seconds = round(time.monotonic() - t0, 3)
        log.info("%s: read %d, loaded %d, rejected %d", self.path.name, fr.read, fr.loaded,
                 fr.rejected)

    def shape(self, chunk: list[RawRecord]) -> None:
        """Shape a chunk of read records at once (vectorised.py), then take them in row
        order, so rejects and batches come out exactly as row by row."""
        readable = [raw for _, raw, structural in chunk if structural is None and raw is not None]
        shaped = iter(shape_many(self.feed, readable, self.ctx))
        for row_no, raw, structural in chunk:
            if structural is not None or raw is None:
                self.reject(row_no, "(record)", structural or "unreadable record", raw)
                continue
            result = next(shaped)
            if isinstance(result, RowRejected):
                self.reject(row_no, result.field, result.reason, raw)
                continue
            self.pending.append((row_no, raw, result))
            if len(self.pending) >= self.batch_size:
                self.settle()

    def settle(self) -> None:
        """Deduplicate the shaped chunk (vectorised) and queue its new rows."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        keys = np.fromiter((key64(sh.key) for _, _, sh in pending), np.uint64, len(pending))
        dup = self.seen.contains_many(keys)
        _, first = np.unique(keys, return_index=True)
        within = np.ones(len(keys), dtype=bool)
        within[first] = False
        dup |= within
        self.seen.add_many(keys[~dup])
        # Only the rows loaded: a rejected duplicate must not leave its Bank behind.
        banks = sorted({sh.bank for (_, _, sh), is_dup in zip(pending, dup, strict=True)
                        if sh.bank and not is_dup})
        batch: list[dict[str, Any]] = []
        for (row_no, raw, sh), is_dup in zip(pending, dup, strict=True):
            if is_dup:
                self.reject(row_no, self.feed.columns[0], "duplicate id within the file", raw)
                continue
            if sh.new_account:
                self.known.add(key64(sh.new_account))
            self.report.loaded += 1
            if not self.progress.committed(row_no):
                batch.append(sh.row)
        if banks:
            self.sink.banks(banks)
        if not batch:
            return
        times = [r["ts"] for r in batch if isinstance(r.get("ts"), int)]
        last = pending[-1][0]
        progress = {"key": self.key, "feed": self.feed.name, "file": self.path.name,
                    "after": self.after, "rows_done": last,
                    "max_ts": max(times) if times else None}
        self.sink.batch(batch, progress)
        self.after = last
        if self.budget[0] is not None:
            self.budget[0] -= 1
            if self.budget[0] <= 0:
                raise LoadInterrupted(f"stopped after a batch of {self.path.name}")

    def reject(self, row: int, field_name: str, reason: str,
               raw: dict[str, Any] | None) -> None:
        fr = self.report
        fr.rejected += 1
        label = f"{field_name}: {reason}"
        fr.reasons[label] = fr.reasons.get(label, 0) + 1
        self.rejects.write(self.path.name, row, field_name, reason,
                           redacted_row(self.feed, raw, self.pseudo))


class LoadInterrupted(GraphLoaderError):
    """Raised by stop_after_batches (crash simulation in tests)."""


def graph_counts(driver: Driver, database: str, labels: tuple[str, ...] = LOADED_LABELS,
                 rels: tuple[str, ...] = LOADED_RELS) -> tuple[dict[str, int], dict[str, int]]:
    """Node counts per label and relationship counts per type (count-store look-ups)."""
    nodes: dict[str, int] = {}
    relationships: dict[str, int] = {}
    # Labels and types are literals of the callers, never user input.
    for lb in labels:
        recs, _, _ = driver.execute_query(template("load/count_label", LABEL=lb),
                                          database_=database, routing_="r")
        nodes[lb] = int(recs[0]["c"])
    for rt in rels:
        recs, _, _ = driver.execute_query(template("load/count_type", TYPE=rt),
                                          database_=database, routing_="r")
        relationships[rt] = int(recs[0]["c"])
    return nodes, relationships

"""`fraudgraph load DIR`: validate, pseudonymise and write feeds into Neo4j.

Pipeline per file: read (streaming) -> shape/validate (pure, feeds.py) -> batches of
UNWIND rows -> a writer thread with a bounded queue, so Python validation and Neo4j
writes overlap on the two cores while memory stays bounded. Each batch commits together
with a progress record, so a crashed load resumes without duplicates or loss.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import psutil
from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from tqdm import tqdm

from fraudgraph.errors import GraphUnavailableError
from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.errors import GraphLoaderError
from graph_loader.feeds import FEEDS, Feed, RowRejected, ShapeContext
from graph_loader.hashset import U64Set, key64
from graph_loader.reader import find_feed_file, read_rows
from graph_loader.report import FileReport, LoadReport, RejectsWriter

log = logging.getLogger(__name__)


def cypher(name: str) -> str:
    return resources.files("cypher").joinpath(f"load/{name}.cypher").read_text()


class _Writer:
    """Writes batches on a background thread; errors surface on the next put/close."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver = driver
        self.database = database
        self.q: queue.Queue[tuple[str, list[dict[str, Any]], dict[str, Any]] | None] = (
            queue.Queue(maxsize=3)
        )
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="graph-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.q.get()
            if item is None:
                return
            if self.error is not None:
                continue
            query, rows, progress = item
            try:
                with self.driver.session(database=self.database) as session:
                    session.execute_write(_write_batch, query, rows, progress)
            except BaseException as e:  # re-raised in the producer thread
                self.error = e

    def put(self, query: str, rows: list[dict[str, Any]], progress: dict[str, Any]) -> None:
        self._check()
        self.q.put((query, rows, progress))

    def close(self) -> None:
        self.q.put(None)
        self.thread.join()
        self._check()

    def _check(self) -> None:
        if self.error is not None:
            err = self.error
            if isinstance(err, (ServiceUnavailable, SessionExpired)):
                raise GraphUnavailableError(f"Neo4j became unreachable during the load: {err}")
            if isinstance(err, Neo4jError):
                raise GraphLoaderError(f"Neo4j refused a batch: {err.code}: {err.message}")
            raise err


_PROGRESS = None


def _write_batch(
    tx: ManagedTransaction, query: str, rows: list[dict[str, Any]], progress: dict[str, Any]
) -> None:
    global _PROGRESS
    if _PROGRESS is None:
        _PROGRESS = cypher("progress")
    tx.run(query, rows=rows).consume()
    tx.run(_PROGRESS, **progress).consume()


def _file_key(path: Path, feed: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return f"{feed}:{h.hexdigest()[:32]}"


def _known_accounts(driver: Driver, database: str) -> U64Set:
    known = U64Set()
    with driver.session(database=database, default_access_mode="READ") as session:
        for rec in session.run("MATCH (a:Account) RETURN a.id AS id"):
            known.add(key64(rec["id"]))
    return known


def _rows_done(driver: Driver, database: str, key: str) -> int:
    recs, _, _ = driver.execute_query(
        "MATCH (lb:LoadBatch {id: $key}) RETURN lb.rows_done AS n", key=key, database_=database
    )
    return int(recs[0]["n"]) if recs else 0


def _redacted(feed: Feed, raw: dict[str, Any] | None, pseudo: Pseudonymiser) -> str:
    """The rejected row for the rejects file, personal fields as pseudonyms."""
    if raw is None:
        return ""
    kinds = {"iban": "account", "holder_iin": "person", "number": "phone", "device_id": "device",
             "ip": "ip", "from_iban": "account", "to_iban": "account", "caller": "phone",
             "callee": "phone", "victim_iban": "account", "beneficiary_ibans": "account",
             "caller_phone": "phone", "entity_id": "person"}
    out: dict[str, str] = {}
    for k, v in raw.items():
        s = "" if v is None else str(v)
        if k in feed.personal and s:
            s = pseudo(kinds.get(k, "person"), s.encode("utf-8", "replace").decode())
        out[k] = s[:200]
    return json.dumps(out, ensure_ascii=False)


def load_directory(
    driver: Driver,
    database: str,
    directory: Path,
    pseudo: Pseudonymiser,
    *,
    rejects_path: Path,
    batch_size: int = 5000,
    now: datetime | None = None,
    progress: bool = True,
    stop_after_batches: int | None = None,
    on_batch: Callable[[str, int], None] | None = None,
) -> LoadReport:
    """Load every feed file found in `directory`. Returns the reconciled report."""
    t0 = time.monotonic()
    now = now or datetime.now(UTC)
    report = LoadReport(directory=str(directory), started_at=now.isoformat())
    files = [(f, p) for f in FEEDS if (p := find_feed_file(directory, f.name)) is not None]
    if not files:
        raise GraphLoaderError(f"{directory}: no feed files (expected e.g. accounts.csv)")
    known = _known_accounts(driver, database)
    ctx = ShapeContext(now=now, pseudo=pseudo, account_known=lambda a: key64(a) in known)
    rejects = RejectsWriter(rejects_path)
    report.rejects_file = str(rejects_path)
    proc = psutil.Process()
    peak = proc.memory_info().rss
    batches_sent = 0
    try:
        for feed, path in files:
            fr = FileReport(file=str(path), feed=feed.name)
            report.files.append(fr)
            key = _file_key(path, feed.name)
            done = _rows_done(driver, database, key)
            fr.resumed_from_row = done
            if done:
                log.info("%s: resuming after row %d", path.name, done)
            seen = U64Set()
            banks: set[str] = set()
            writer = _Writer(driver, database)
            query = cypher(feed.name)
            batch: list[dict[str, Any]] = []
            last_row = 0
            bar = tqdm(desc=f"load {feed.name}", unit="rows", disable=not progress,
                       mininterval=1.0)

            def flush(upto: int) -> None:
                nonlocal batch, batches_sent
                if feed.name == "accounts" and banks:
                    writer.put(cypher("banks"), sorted(banks), {
                        "key": key + ":banks", "feed": feed.name, "file": path.name,
                        "rows_done": 0})
                    banks.clear()
                if batch:
                    writer.put(query, batch, {"key": key, "feed": feed.name,
                                              "file": path.name, "rows_done": upto})
                    batches_sent += 1
                    if on_batch:
                        on_batch(feed.name, upto)
                    if stop_after_batches is not None and batches_sent >= stop_after_batches:
                        writer.close()
                        raise LoadInterrupted()
                batch = []

            for row_no, raw, structural in read_rows(path, feed.columns):
                fr.read += 1
                last_row = row_no
                if structural is not None:
                    _reject(fr, rejects, feed, path, row_no, "(record)", structural, raw, pseudo)
                    continue
                assert raw is not None
                try:
                    shaped = feed.shape(raw, ctx)
                except RowRejected as e:
                    _reject(fr, rejects, feed, path, row_no, e.field, e.reason, raw, pseudo)
                    continue
                k = key64(shaped.key)
                if k in seen:
                    _reject(fr, rejects, feed, path, row_no, feed.columns[0],
                            "duplicate id within the file", raw, pseudo)
                    continue
                seen.add(k)
                if shaped.new_account:
                    known.add(key64(shaped.new_account))
                if shaped.bank:
                    banks.add(shaped.bank)
                fr.loaded += 1
                if row_no > done:
                    batch.append(shaped.row)
                if len(batch) >= batch_size:
                    flush(row_no)
                if fr.read % 10000 == 0:
                    bar.update(10000)
                    peak = max(peak, proc.memory_info().rss)
            flush(last_row)
            writer.close()
            bar.update(fr.read % 10000)
            bar.close()
            log.info("%s: read %d, loaded %d, rejected %d", path.name, fr.read, fr.loaded,
                     fr.rejected)
    finally:
        rejects.close()
    report.peak_rss_mb = round(max(peak, proc.memory_info().rss) / 2**20, 1)
    report.graph_nodes, report.graph_relationships = graph_counts(driver, database)
    report.seconds = round(time.monotonic() - t0, 3)
    report.finished_at = datetime.now(UTC).isoformat()
    return report


class LoadInterrupted(Exception):
    """Raised by stop_after_batches (crash simulation in tests)."""


def _reject(fr: FileReport, rejects: RejectsWriter, feed: Feed, path: Path, row: int,
            field_name: str, reason: str, raw: dict[str, Any] | None,
            pseudo: Pseudonymiser) -> None:
    fr.rejected += 1
    fr.reasons[f"{field_name}: {reason}"] = fr.reasons.get(f"{field_name}: {reason}", 0) + 1
    rejects.write(path.name, row, field_name, reason, _redacted(feed, raw, pseudo))


def graph_counts(driver: Driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    labels = ["Account", "Person", "Phone", "Device", "Bank", "Incident", "ListEntry"]
    rels = ["TRANSFERRED", "HOLDS", "AT_BANK", "USED", "SIM_EVENT", "HAS_PHONE", "CALLED",
            "VICTIM", "BENEFICIARY", "CALLER", "LISTS"]
    nodes: dict[str, int] = {}
    relationships: dict[str, int] = {}
    # Count-store look-ups: label and type are literals here, never user input.
    for lb in labels:
        recs, _, _ = driver.execute_query(f"MATCH (n:{lb}) RETURN count(n) AS c",
                                          database_=database, routing_="r")
        nodes[lb] = int(recs[0]["c"])
    for rt in rels:
        recs, _, _ = driver.execute_query(f"MATCH ()-[r:{rt}]->() RETURN count(r) AS c",
                                          database_=database, routing_="r")
        relationships[rt] = int(recs[0]["c"])
    return nodes, relationships

"""The audit trail: one event per request, hash-chained, in Neo4j, where every API
process appends to the same chain.

Requests only append a small dict to a deque; a background thread drains it a few times
a second and appends the batch in one write transaction: it locks the chain's head
(`AuditHead`), gives each event the next sequence number and
``hash = sha256(prev_hash + "\\n" + body)`` over its canonical JSON body, creates the
`AuditEvent` nodes and moves the head. The head lock orders the appends of all processes
into one chain; `verify` (``fraudgraph audit verify``) recomputes it, so an edited,
deleted or inserted event shows. (Whoever can write the database can also rewrite the
whole chain: `verify` prints the head, to be noted outside fraudgraph now and then.)

While Neo4j is away events wait in memory (at most `max_pending`, oldest dropped first,
counted and logged) and are appended when it is back, in their order. Optionally each
process also writes its events as JSON lines to `<directory>/audit-YYYY-MM-DD.jsonl`
(a local copy for log shipping; the chain in Neo4j is the trail of record).

Events carry key ids, roles, route templates, pseudonyms and the ids a request read,
never a raw identifier or a key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import DriverError, Neo4jError

from api.db import cypher

log = logging.getLogger(__name__)

_STOP = object()
GENESIS = "0" * 64
BATCH = 500


def canonical(event: dict[str, Any]) -> str:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), default=str,
                      ensure_ascii=False)


def chain_hash(prev: str, body: str) -> str:
    return hashlib.sha256(f"{prev}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()


def schema(driver: Driver, database: str) -> None:
    text = "\n".join(ln for ln in cypher("audit_schema").splitlines()
                     if not ln.strip().startswith("//"))
    for stmt in (s.strip() for s in text.split(";")):
        if stmt:
            driver.execute_query(stmt, database_=database)


def append(driver: Driver, database: str, events: list[dict[str, Any]], writer: str) -> int:
    """Chain and append `events` (one transaction); returns the last sequence number."""
    bodies = [canonical(e) for e in events]

    def work(tx: ManagedTransaction) -> int:
        head = tx.run(cypher("audit_head"), genesis=GENESIS, writer=writer).single()
        assert head is not None
        seq, prev = int(head["seq"]), str(head["hash"])
        rows = []
        for ev, body in zip(events, bodies, strict=True):
            seq += 1
            h = chain_hash(prev, body)
            rows.append({"seq": seq, "ts": str(ev.get("ts", "")), "body": body, "prev": prev,
                         "hash": h})
            prev = h
        tx.run(cypher("audit_append"), rows=rows, seq=seq, hash=prev).consume()
        return seq

    with driver.session(database=database) as session:
        return session.execute_write(work)


@dataclass
class VerifyReport:
    events: int
    head_seq: int
    head_hash: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def read_events(driver: Driver, database: str, page: int = 5000
                ) -> Iterator[tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    after = 0
    while True:
        recs, _, _ = driver.execute_query(cypher("audit_read"), after=after, limit=page,
                                          database_=database, routing_="r")
        head, events = recs[0]["head"], recs[0]["events"]
        yield head, events
        if len(events) < page:
            return
        after = int(events[-1]["seq"])


def verify(driver: Driver, database: str) -> VerifyReport:
    """Recompute the chain from the first event: every sequence number present once and
    in order, every `prev` the hash before it, every hash that of its body, and the head
    the last event."""
    problems: list[str] = []
    prev, expect, n = GENESIS, 1, 0
    head: dict[str, Any] | None = None
    for head, events in read_events(driver, database):
        for e in events:
            seq = int(e["seq"])
            if seq != expect:
                problems.append(f"event {expect}: missing (next present is {seq})")
                expect = seq
            if e["prev"] != prev:
                problems.append(f"event {seq}: its prev hash is not event {seq - 1}'s hash")
            if chain_hash(str(e["prev"]), str(e["body"])) != e["hash"]:
                problems.append(f"event {seq}: its body does not match its hash (edited)")
            prev, expect, n = str(e["hash"]), seq + 1, n + 1
            if len(problems) >= 100:
                problems.append("... (stopped after 100 problems)")
                return VerifyReport(n, int((head or {}).get("seq") or 0),
                                    str((head or {}).get("hash") or GENESIS), problems)
    head_seq = int((head or {}).get("seq") or 0)
    head_hash = str((head or {}).get("hash") or GENESIS)
    if head_seq != expect - 1 or head_hash != prev:
        problems.append(f"the head (event {head_seq}) is not the last event ({expect - 1}): "
                        "events were removed from the end or the head was moved")
    return VerifyReport(n, head_seq, head_hash, problems)


class AuditLog:
    def __init__(self, connect: Callable[[], tuple[Driver, str]] | None,
                 directory: Path | None = None, *, interval_s: float = 0.2,
                 max_pending: int = 200_000, owns_driver: bool = True) -> None:
        """`connect` opens the trail's sync driver and names its database (None: no chain,
        the local copy only); the writer closes that driver when it stops, unless it is
        someone else's (`owns_driver` False)."""
        self.connect = connect
        self.owns_driver = owns_driver
        self.directory = directory
        self.interval_s = interval_s
        self.max_pending = max_pending
        self.writer = uuid.uuid4().hex[:12]
        self._pending: deque[Any] = deque()  # append/popleft are thread-safe
        self._unsent: deque[dict[str, Any]] = deque()  # drained, not yet in Neo4j
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._fh: IO[str] | None = None
        self._day: str | None = None
        self._driver: Driver | None = None
        self._database = ""
        self._schema_done = False
        self.written = 0  # events in the local copy
        self.chained = 0  # events appended to the chain by this process
        self.dropped = 0

    def start(self) -> None:
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def record(self, event: dict[str, Any]) -> None:
        """Enqueue one event; `event['ts']` is an ISO-8601 UTC timestamp."""
        self._pending.append(event)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every event recorded before this call is written (or the attempt
        to reach Neo4j failed)."""
        done = threading.Event()
        self._pending.append(done)
        self._wake.set()
        done.wait(timeout)

    def close(self) -> None:
        """Write everything recorded so far (one last attempt for the chain), then stop."""
        if self._thread is None:
            return
        self._pending.append(_STOP)
        self._wake.set()
        self._thread.join(timeout=15)
        self._thread = None

    def path_for(self, day: str) -> Path:
        assert self.directory is not None
        return self.directory / f"audit-{day}.jsonl"

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(self.interval_s)
                self._wake.clear()
                stop = False
                waiters: list[threading.Event] = []
                while self._pending:
                    ev = self._pending.popleft()
                    if ev is _STOP:
                        stop = True
                    elif isinstance(ev, threading.Event):
                        waiters.append(ev)
                    else:
                        self._write(ev)
                        self._unsent.append(ev)
                self._flush_file()
                self._send()
                for w in waiters:
                    w.set()
                if stop:
                    return
        finally:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
            if self._driver is not None and self.owns_driver:
                self._driver.close()

    def _send(self) -> None:
        if self.connect is None or not self._unsent:
            self._unsent.clear()
            return
        while len(self._unsent) > self.max_pending:
            self._unsent.popleft()
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 10_000 == 0:
                log.error("audit: %d events dropped while Neo4j was unreachable",
                          self.dropped)
        try:
            if self._driver is None:
                self._driver, self._database = self.connect()
            if not self._schema_done:
                schema(self._driver, self._database)
                self._schema_done = True
            while self._unsent:
                batch = [self._unsent[i] for i in range(min(BATCH, len(self._unsent)))]
                append(self._driver, self._database, batch, self.writer)
                for _ in batch:
                    self._unsent.popleft()
                self.chained += len(batch)
        except (Neo4jError, DriverError, OSError) as e:
            # Kept for the next round; the error log is throttled (api/observe.py).
            log.warning("audit: the trail is not reachable (%s); %d events wait",
                        type(e).__name__, len(self._unsent))
        except Exception:  # a bug must not stop the writer thread
            log.exception("audit: cannot append to the trail")

    def _write(self, event: dict[str, Any]) -> None:
        if self.directory is None:
            return
        day = str(event.get("ts", ""))[:10] or "unknown"
        try:
            if day != self._day or self._fh is None:
                if self._fh is not None:
                    self._fh.close()
                path = self.path_for(day)
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
                self._fh = os.fdopen(fd, "a", encoding="utf-8")
                self._day = day
            self._fh.write(json.dumps(event, separators=(",", ":"), default=str) + "\n")
            self.written += 1
        except OSError:
            log.exception("audit: cannot write the local copy")

    def _flush_file(self) -> None:
        if self._fh is not None:
            try:
                self._fh.flush()
            except OSError:
                log.exception("audit: cannot flush")

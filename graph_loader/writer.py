"""Writing batches into Neo4j, and the progress that makes a load resumable.

Each batch commits in one managed transaction together with the record of which rows of
its file it covers, so after a crash a resumed load skips exactly the committed rows.

Batches of the event feeds (transfers, calls) go to several writer threads at once: their
rows are independent CREATEs guarded by uniqueness constraints, and a second transaction
in flight lets Neo4j use the second core. Batches may then commit out of order, so the
progress of a file is a watermark (`rows_done`: every row up to it is committed) plus the
ranges committed ahead of it (`ahead`, flat [after, last] pairs), which the watermark
absorbs as the gaps fill (`advance`, pure).
"""

from __future__ import annotations

import functools
import queue
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ConstraintError, Neo4jError, ServiceUnavailable, SessionExpired

from cypher import header, statement, template
from fraudgraph.errors import GraphUnavailableError
from graph_loader.errors import GraphLoaderError


@functools.cache
def cypher(name: str) -> str:
    """A loader statement; the transfer statements share their :External prelude."""
    path = f"load/{name}"
    if "EXTERNALS" in header(path).templates:
        return template(path, EXTERNALS=statement("load/transfer_externals"))
    return statement(path)


@dataclass
class Progress:
    """What is committed of one file: rows 1..done, and each (after, last] in ahead."""

    done: int = 0
    ahead: list[tuple[int, int]] = field(default_factory=list)  # sorted, disjoint

    def __post_init__(self) -> None:
        self._starts = [a for a, _ in self.ahead]

    def committed(self, row: int) -> bool:
        if row <= self.done:
            return True
        i = bisect_left(self._starts, row) - 1  # the last range starting before row
        return i >= 0 and row <= self.ahead[i][1]

    @property
    def highest(self) -> int:
        return max([self.done, *(b for _, b in self.ahead)])


def _pairs(flat: list[int]) -> list[tuple[int, int]]:
    """The graph keeps ranges as a flat list [after, last, after, last, ...]."""
    return sorted(zip(flat[::2], flat[1::2], strict=True))


def advance(done: int, ahead: list[int], after: int, last: int) -> tuple[int, list[int]]:
    """The watermark and flat ahead-pairs once rows (after, last] are committed too."""
    pairs = sorted([*_pairs(ahead), (after, last)])
    rest: list[int] = []
    for a, b in pairs:
        if a <= done:
            done = max(done, b)
        else:
            rest += [a, b]
    return done, rest


def read_progress(driver: Driver, database: str, key: str) -> Progress:
    recs, _, _ = driver.execute_query(
        statement("load/progress_read"), key=key, database_=database)
    if not recs:
        return Progress()
    return Progress(int(recs[0]["done"] or 0),
                    _pairs([int(x) for x in recs[0]["ahead"] or []]))


def _write_batch(tx: ManagedTransaction, query: str, params: dict[str, Any],
                 progress: dict[str, Any] | None) -> None:
    tx.run(query, params).consume()
    if progress is None:
        return
    # The first statement write-locks the file's LoadBatch node until commit, so the
    # read-modify-write of its progress is atomic across concurrent writers.
    rec = tx.run(cypher("progress_lock"), key=progress["key"], feed=progress["feed"],
                 file=progress["file"]).single(strict=True)
    done, ahead = advance(int(rec["done"] or 0), [int(x) for x in rec["ahead"] or []],
                          progress["after"], progress["rows_done"])
    tx.run(cypher("progress"), key=progress["key"], rows_done=done, ahead=ahead,
           max_ts=progress["max_ts"]).consume()


_Job = tuple[str, dict[str, Any], str | None, dict[str, Any] | None]


class Writers:
    """Writes batches on `n` background threads; errors surface on the next put/close."""

    def __init__(self, driver: Driver, database: str, n: int = 1) -> None:
        self.driver = driver
        self.database = database
        self.q: queue.Queue[_Job | None] = queue.Queue(maxsize=n + 2)
        self.error: BaseException | None = None
        self.threads = [threading.Thread(target=self._run, name=f"graph-writer-{i}",
                                         daemon=True) for i in range(n)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while True:
            item = self.q.get()
            if item is None:
                return
            if self.error is not None:
                continue
            query, params, fast, progress = item
            try:
                with self.driver.session(database=self.database) as session:
                    if fast is not None:
                        try:
                            session.execute_write(_write_batch, fast, params, progress)
                            continue
                        except ConstraintError:
                            pass  # some events exist already: MERGE this batch instead
                    session.execute_write(_write_batch, query, params, progress)
            except BaseException as e:  # re-raised in the producer thread
                self.error = e

    def put(self, query: str, params: dict[str, Any], fast: str | None,
            progress: dict[str, Any] | None) -> None:
        self._check()
        self.q.put((query, params, fast, progress))

    def close(self) -> None:
        for _ in self.threads:
            self.q.put(None)
        for t in self.threads:
            t.join()
        self._check()

    def _check(self) -> None:
        if self.error is not None:
            err = self.error
            if isinstance(err, (ServiceUnavailable, SessionExpired)):
                raise GraphUnavailableError(f"Neo4j became unreachable during the load: {err}")
            if isinstance(err, Neo4jError):
                raise GraphLoaderError(f"Neo4j refused a batch: {err.code}: {err.message}")
            raise err

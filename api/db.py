"""The API's one async Neo4j driver and the thin layer every route reads through.

Driver errors that mean "Neo4j is not there right now" become Unavailable (503 with
Retry-After); the driver reconnects by itself, so the API recovers without a restart.
Every round trip is bounded (`timeout_s`, or a read's own shorter `budget_s`, the
check's): during an outage a request answers 503 within its budget instead of waiting
on a connection attempt. A request may also carry one deadline for all its reads
(`request_deadline`, set by the front door for the check): the key lookup and the check's
own read then share the check's budget instead of each having a whole one. A read cut
short is answered at once (its cancellation, which may wait on a dying connection, is
not awaited); a short-budget read goes on in the background under the long bound, so
that a connection to (and a plan on) a slow, just-restarted server is still made, and
later reads of that statement wait for it instead of each asking the cold server for a
plan of its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import (
    ClientError,
    ConnectionAcquisitionTimeoutError,
    DatabaseUnavailable,
    ServiceUnavailable,
    SessionExpired,
)

from api.errors import Unavailable
from cypher import statement
from fraudgraph.db import credentials
from fraudgraph.errors import GraphUnavailableError
from fraudgraph.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

# The monotonic time by which the current request must have its answer (None: no
# request-wide bound). A ContextVar: each request's task sees its own.
_DEADLINE: ContextVar[float | None] = ContextVar("fraudgraph_request_deadline", default=None)


@contextmanager
def request_deadline(budget_s: float) -> Iterator[None]:
    """Every read inside shares one bound: `budget_s` from now."""
    token = _DEADLINE.set(time.monotonic() + budget_s)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _bound(own_s: float | None) -> float | None:
    """A read's bound: its own, cut to what is left of the request's deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return own_s
    left = max(0.0, deadline - time.monotonic())
    return left if own_s is None else min(own_s, left)


async def _settled(task: asyncio.Future[T], bound_s: float | None) -> bool:
    """Whether `task` finished within `bound_s` (it is neither awaited past the bound nor
    cancelled here)."""
    if bound_s is None:
        await asyncio.wait({task})
        return True
    done, _ = await asyncio.wait({task}, timeout=bound_s)
    return task in done


def _consume(task: asyncio.Future[Any]) -> None:
    # An abandoned read's late error is expected; retrieving it keeps asyncio quiet.
    if not task.cancelled():
        task.exception()


# Errors after which a later retry may succeed: the graph is down, restarting or overloaded.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    ServiceUnavailable,
    SessionExpired,
    DatabaseUnavailable,
    ConnectionAcquisitionTimeoutError,
    GraphUnavailableError,
    ConnectionError,
)


# Client errors that are the server going away mid-transaction (shutting down, or the
# transaction terminated by it), not a fault of the request.
_GOING_AWAY = frozenset({"Neo.ClientError.Transaction.LockClientStopped",
                         "Neo.ClientError.Transaction.Terminated"})


def going_away(e: BaseException) -> bool:
    return isinstance(e, ClientError) and e.code in _GOING_AWAY


def cypher(name: str) -> str:
    """The text of cypher/api/<name>.cypher (`statement` reads it once)."""
    return statement(f"api/{name}")


def make_async_driver(settings: Settings, *, max_pool: int = 100,
                      timeout_s: float = 5.0) -> AsyncDriver:
    uri, user, password = credentials(settings)
    if settings.managed and uri.startswith("neo4j://"):
        # The project's own server is one Community instance: it has no routing table to
        # fetch. Through neo4j:// the driver must re-fetch one after every restart (and
        # backs off when that fails), which kept the API away long after Neo4j was back.
        uri = "bolt://" + uri.removeprefix("neo4j://")
    return AsyncGraphDatabase.driver(
        uri,
        auth=(user, password),
        max_connection_pool_size=max_pool,
        connection_acquisition_timeout=timeout_s,
        connection_timeout=min(2.0, timeout_s),
        # A pooled connection idle for a while is probed before use: after a restart the
        # old ones are found dead at once rather than by a failed query each.
        liveness_check_timeout=2.0,
        # A request must fail fast (503) while Neo4j is down rather than hang in retries.
        max_transaction_retry_time=1.0,
        notifications_min_severity="OFF",
    )


class Graph:
    """Reads and writes through the app's driver; maps outages to Unavailable."""

    def __init__(self, driver: AsyncDriver, database: str, *, retry_after_s: int = 5,
                 timeout_s: float | None = None) -> None:
        self.driver = driver
        self.database = database
        self.retry_after_s = retry_after_s
        self.timeout_s = timeout_s
        self._warming: dict[str, asyncio.Task[None]] = {}
        self._hot: list[tuple[str, dict[str, Any]]] = []
        self._lost = True  # nothing is planned yet: the first answer warms the hot path
        self._probe: asyncio.Task[None] | None = None

    def keep_warm(self, query: str, **params: Any) -> None:
        """`query` is planned again in the background as soon as the graph answers after
        an outage, before the first request for it: a restarted server's plan cache is
        empty, and the hot path's statement takes it seconds to plan when cold."""
        self._hot.append((query, params))

    def _note(self, reachable: bool) -> None:
        if not reachable:
            self._lost = True
            if self._hot and (self._probe is None or self._probe.done()):
                self._probe = asyncio.get_running_loop().create_task(self._probe_until_back())
        elif self._lost:
            self._lost = False
            for query, params in self._hot:
                if query not in self._warming:
                    self._warm(asyncio.ensure_future(self._run_read(query, params)), query,
                               self.timeout_s)

    async def _probe_until_back(self, every_s: float = 0.25) -> None:
        """While the graph is away, ask it the cheapest question a few times a second;
        the first answer warms the hot path (`_note`). Without this the warm-up waited
        for a request of some client to get through first, seconds after the server was
        ready, and the check timed out at its budget all that while."""
        ping = statement("api/ping")
        t0 = time.monotonic()
        while self._lost:
            task = asyncio.ensure_future(self._run_read(ping, {}))
            try:
                # A just-restarted server may take seconds over its first connection;
                # cut short, the probe would never get one.
                if await _settled(task, self.timeout_s) and task.exception() is None:
                    log.info("the graph answers again (probed for %.1f s)",
                             time.monotonic() - t0)
                    self._note(reachable=True)
                    return
            finally:
                if not task.done():
                    task.add_done_callback(_consume)
                    task.cancel()
                elif not task.cancelled():
                    task.exception()  # retrieved: a refused connection is expected here
            await asyncio.sleep(every_s)

    async def close(self) -> None:
        """Stop the background probe and warm-ups (the app's shutdown)."""
        tasks = [t for t in (self._probe, *self._warming.values()) if t is not None]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _unavailable(self, e: BaseException) -> Unavailable:
        return Unavailable(f"the graph database is not reachable ({type(e).__name__}); "
                           "retry later", retry_after_s=self.retry_after_s)

    async def read(self, query: str, *, budget_s: float | None = None,
                   **params: Any) -> list[dict[str, Any]]:
        """One auto-commit read: no driver-side retries, so an outage answers 503 at
        once instead of after a retry back-off (the caller may retry; reads are safe).
        `budget_s`: this read's own bound (the check's is shorter than the default), cut
        to what is left of the request's deadline."""
        bound = _bound(budget_s or self.timeout_s)
        t0 = time.monotonic()
        try:
            warming = self._warming.get(query)
            if warming is not None:
                # A cold server is planning this statement already: wait for that plan
                # rather than make the server plan it once more for every request.
                if not await _settled(warming, bound):
                    raise TimeoutError(f"{query[:40]!r} is still being planned")
                if bound is not None:
                    bound = max(0.0, bound - (time.monotonic() - t0))
            task = asyncio.ensure_future(self._run_read(query, params))
            if await _settled(task, bound):
                rows = task.result()
                self._note(reachable=True)
                return rows
            # Answered at the bound, not after the read's cancellation, which may wait
            # on a dying connection for another second.
            self._abandon(task, query, budget_s, time.monotonic() - t0)
            raise TimeoutError(f"no answer within {bound:.2f} s")
        except TimeoutError as e:
            raise self._unavailable(e) from e
        except UNAVAILABLE_ERRORS as e:
            self._note(reachable=False)
            raise self._unavailable(e) from e
        except ClientError as e:
            if going_away(e):
                self._note(reachable=False)
                raise self._unavailable(e) from e
            raise

    async def _run_read(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        async with self.driver.session(database=self.database,
                                       default_access_mode=READ_ACCESS) as session:
            result = await session.run(query, params)
            return [r.data() async for r in result]

    def _abandon(self, task: asyncio.Future[Any], query: str, budget_s: float | None,
                 spent_s: float) -> None:
        """A read that missed a short budget goes on in the background, up to the long
        bound, as the statement's warm-up: a cold server (just restarted, its plan cache
        empty) may need longer than the check's budget to plan it, and cancelling would
        throw that planning away, so the check could time out for as long as the server
        is slow. One warm-up per statement; later reads of it wait for that one. Any other
        timed-out read is cancelled."""
        short = budget_s is not None and self.timeout_s is not None \
            and budget_s < self.timeout_s
        if not short or query in self._warming or self.timeout_s is None:
            task.add_done_callback(_consume)
            task.cancel()
            return
        self._warm(task, query, max(0.0, self.timeout_s - spent_s))

    def _warm(self, task: asyncio.Future[Any], query: str, left_s: float | None) -> None:
        task.add_done_callback(_consume)

        async def warm() -> None:
            t0 = time.monotonic()
            outcome = "planned"
            try:
                if not await _settled(task, left_s):
                    outcome = "gave up"
                    task.cancel()
                elif not task.cancelled() and task.exception() is not None:
                    outcome = f"failed ({type(task.exception()).__name__})"
            finally:
                self._warming.pop(query, None)
                # What an on-call engineer reads to see how long a cold server took.
                log.info("warm-up of %r: %s after %.2f s", query[:40], outcome,
                         time.monotonic() - t0)

        self._warming[query] = asyncio.get_running_loop().create_task(warm())

    async def read_one(self, query: str, *, budget_s: float | None = None,
                       **params: Any) -> dict[str, Any] | None:
        rows = await self.read(query, budget_s=budget_s, **params)
        return rows[0] if rows else None

    async def write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run `work` in one managed write transaction (retried on transient errors)."""
        async def run() -> T:
            async with self.driver.session(database=self.database) as session:
                return await session.execute_write(work)

        # A write gets twice the budget: it may retry once on a transient error.
        try:
            done = await asyncio.wait_for(
                run(), None if self.timeout_s is None else 2 * self.timeout_s + 1.0)
        except TimeoutError as e:
            raise self._unavailable(e) from e
        except UNAVAILABLE_ERRORS as e:
            self._note(reachable=False)
            raise self._unavailable(e) from e
        except ClientError as e:
            if going_away(e):
                self._note(reachable=False)
                raise self._unavailable(e) from e
            raise
        self._note(reachable=True)
        return done

    async def ping(self, budget_s: float | None = None) -> None:
        await self.read(statement("api/ping"), budget_s=budget_s)


async def tx_rows(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [r.data() async for r in result]

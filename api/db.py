"""The API's one async Neo4j driver and the thin layer every route reads through.

Driver errors that mean "Neo4j is not there right now" become Unavailable (503 with
Retry-After); the driver reconnects by itself, so the API recovers without a restart.
Every round trip is bounded (`timeout_s`, or a read's own shorter `budget_s`, the
check's): during an outage a request answers 503 within its budget instead of waiting
on a connection attempt. A read cut short by its budget is run once more in the
background under the long bound, so that a connection to (and a plan on) a slow,
just-restarted server is still made and the next requests find them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import cache
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

T = TypeVar("T")

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


@cache
def cypher(name: str) -> str:
    """The text of cypher/api/<name>.cypher (read once)."""
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

    def _unavailable(self, e: BaseException) -> Unavailable:
        return Unavailable(f"the graph database is not reachable ({type(e).__name__}); "
                           "retry later", retry_after_s=self.retry_after_s)

    async def read(self, query: str, *, budget_s: float | None = None,
                   **params: Any) -> list[dict[str, Any]]:
        """One auto-commit read: no driver-side retries, so an outage answers 503 at
        once instead of after a retry back-off (the caller may retry; reads are safe).
        `budget_s`: this read's own bound (the check's is shorter than the default)."""
        try:
            return await asyncio.wait_for(self._run_read(query, params),
                                          budget_s or self.timeout_s)
        except TimeoutError as e:
            self._warm(query, params, budget_s)
            raise self._unavailable(e) from e
        except UNAVAILABLE_ERRORS as e:
            raise self._unavailable(e) from e
        except ClientError as e:
            if going_away(e):
                raise self._unavailable(e) from e
            raise

    async def _run_read(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        async with self.driver.session(database=self.database,
                                       default_access_mode=READ_ACCESS) as session:
            result = await session.run(query, params)
            return [r.data() async for r in result]

    def _warm(self, query: str, params: dict[str, Any], budget_s: float | None) -> None:
        """After a short-budget read timed out, run it once more in the background under
        the long bound. A cold server (just restarted, its plan cache empty) may need
        longer than the check's budget to plan the query: each timed-out check abandons
        that planning, so without this the check could time out for as long as the
        server is slow. One such run per statement at a time."""
        if budget_s is None or self.timeout_s is None or budget_s >= self.timeout_s \
                or query in self._warming:
            return

        async def warm() -> None:
            try:
                await asyncio.wait_for(self._run_read(query, params), self.timeout_s)
            except Exception:  # best effort: the next check tries again anyway
                pass
            finally:
                self._warming.pop(query, None)

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
            return await asyncio.wait_for(
                run(), None if self.timeout_s is None else 2 * self.timeout_s + 1.0)
        except TimeoutError as e:
            raise self._unavailable(e) from e
        except UNAVAILABLE_ERRORS as e:
            raise self._unavailable(e) from e
        except ClientError as e:
            if going_away(e):
                raise self._unavailable(e) from e
            raise

    async def ping(self, budget_s: float | None = None) -> None:
        await self.read(statement("api/ping"), budget_s=budget_s)


async def tx_rows(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [r.data() async for r in result]

"""The one Neo4j driver: built from Settings, injected everywhere else."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from fraudgraph.errors import ConfigurationError, GraphUnavailableError
from fraudgraph.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")


def credentials(settings: Settings) -> tuple[str, str, str]:
    """(uri, user, password) for an existing Neo4j or for the project-managed one."""
    if not settings.managed:
        assert settings.neo4j_uri is not None
        if settings.neo4j_password is None:
            raise ConfigurationError("NEO4J_URI is set but NEO4J_PASSWORD is not")
        return settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password.get_secret_value()
    try:
        password = settings.password_file.read_text().strip()
    except FileNotFoundError as e:
        raise GraphUnavailableError(
            f"the local Neo4j has no password file at {settings.password_file}; "
            "run `fraudgraph neo4j start` first"
        ) from e
    return settings.local_uri, "neo4j", password


def make_driver(settings: Settings, *, max_pool: int = 100) -> Driver:
    uri, user, password = credentials(settings)
    return GraphDatabase.driver(
        uri,
        auth=(user, password),
        max_connection_pool_size=max_pool,
        connection_acquisition_timeout=10.0,
        connection_timeout=5.0,
        max_transaction_retry_time=15.0,
        # Server notifications (deprecations, unknown property keys on an empty graph)
        # would flood the logs of every batch; PROFILE in the benchmarks shows plans.
        notifications_min_severity="OFF",
    )


@contextmanager
def open_driver(settings: Settings) -> Iterator[Driver]:
    driver = make_driver(settings)
    try:
        driver.verify_connectivity()
    except (ServiceUnavailable, SessionExpired, OSError) as e:
        driver.close()
        raise GraphUnavailableError(f"Neo4j is not reachable: {e}") from e
    except AuthError as e:
        driver.close()
        raise ConfigurationError(f"Neo4j refused the credentials: {e}") from e
    try:
        yield driver
    finally:
        driver.close()


def write_batches(
    driver: Driver,
    database: str,
    query: str,
    rows: Iterable[dict[str, Any]],
    *,
    batch_size: int = 5000,
    params: dict[str, Any] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """UNWIND $rows in managed write transactions; the driver retries only transient errors."""
    total = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal total, batch
        if not batch:
            return
        rows_now = batch
        with driver.session(database=database) as session:
            session.execute_write(_run, query, {"rows": rows_now, **(params or {})})
        total += len(rows_now)
        if on_batch:
            on_batch(len(rows_now))
        batch = []

    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            flush()
    flush()
    return total


def _run(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()

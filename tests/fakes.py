"""A recording fake of the driver seam, for unit tests of the code's query shapes.

In the spirit of the GDS Python client's `CollectingQueryRunner`: `FakeDriver` stands where
a `neo4j.Driver` goes, answers every query with canned rows (empty unless told) and records
each call, so a test can assert what was sent: the statement's text, its parameters, the
database, the access mode (READ/WRITE) and the transaction it ran in.

It supports the shapes the rooms use, and no more:

    driver.execute_query(query, params, database_=..., routing_=..., **kw)  # EagerResult
    with driver.session(database=..., default_access_mode="READ") as s:
        s.run(query, params)  # auto-commit
        s.execute_read(work, *args)  # or execute_write; `unit_of_work` timeouts kept
        tx = s.begin_transaction(); tx.run(...); tx.commit()

Managed transactions (execute_query, execute_read, execute_write) are retried as the real
driver retries them: on an error whose `is_retryable()` is true (TransientError,
ServiceUnavailable, SessionExpired), up to `max_attempts`; any other error surfaces at once.

    driver = FakeDriver()
    driver.on("MATCH (p:Probe)", [{"v": 42}])
    driver.on(lambda call: call.access_mode == "WRITE", error=server_error(
        "Neo.TransientError.Transaction.DeadlockDetected"), times=1)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any, TypeVar

from neo4j import EagerResult, Query, Record, RoutingControl, SummaryCounters
from neo4j.exceptions import Neo4jError

log = logging.getLogger(__name__)
T = TypeVar("T")

READ, WRITE = "READ", "WRITE"


def server_error(code: str, message: str = "from the fake server") -> Neo4jError:
    """The error the driver raises for a server failure with this Neo4j status code (the
    class follows from the code, as in the driver: ConstraintError, TransientError, ...).
    Building e.g. `ClientError("...")` by hand would leave its `code` unknown."""
    return Neo4jError._hydrate_neo4j(code=code, message=message)


@dataclass(frozen=True)
class Call:
    """One query as the fake received it."""

    query: str
    parameters: dict[str, Any]
    database: str | None
    access_mode: str  # READ or WRITE
    via: str  # execute_query, session.run, execute_read, execute_write, transaction
    tx: int  # the transaction it ran in (each auto-commit query has its own)
    attempt: int  # 1 unless a managed transaction was retried
    timeout: float | None = None
    metadata: Mapping[str, Any] | None = None


@dataclass
class Transaction:
    """One transaction as the fake saw it, with its outcome."""

    id: int
    via: str
    access_mode: str
    database: str | None
    attempt: int
    timeout: float | None = None  # a transaction function's, from `unit_of_work`
    metadata: Mapping[str, Any] | None = None
    calls: list[Call] = field(default_factory=list)
    outcome: str = "open"  # committed, rolled back


Rows = Sequence[Mapping[str, Any]]
Matcher = str | Callable[[Call], bool]
Answer = Rows | Callable[[Call], Rows]


@dataclass
class _Rule:
    match: Matcher
    rows: Answer
    error: BaseException | None
    counters: Mapping[str, int]
    times: int | None

    def matches(self, call: Call) -> bool:
        if isinstance(self.match, str):
            return self.match in call.query
        return self.match(call)


@dataclass
class FakeSummary:
    """What the code reads of a `ResultSummary`: its counters and (PROFILE) its plan."""

    query: str
    parameters: dict[str, Any]
    database: str | None
    counters: SummaryCounters
    profile: dict[str, Any] | None = None
    notifications: list[Any] = field(default_factory=list)


class FakeResult:
    """A result already fetched: iterate it, or `single`, `data`, `value`, `consume`."""

    def __init__(self, records: list[Record], summary: FakeSummary) -> None:
        self._records = records
        self._summary = summary

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records)

    def keys(self) -> list[str]:
        return list(self._records[0].keys()) if self._records else []

    def single(self, strict: bool = False) -> Record | None:
        if len(self._records) != 1:
            if strict:
                raise ValueError(f"expected one record, the fake has {len(self._records)}")
            return self._records[0] if self._records else None
        return self._records[0]

    def data(self, *keys: str) -> list[dict[str, Any]]:
        return [r.data(*keys) for r in self._records]

    def value(self, key: int | str = 0, default: Any = None) -> list[Any]:
        return [r.value(key, default) for r in self._records]

    def consume(self) -> FakeSummary:
        return self._summary

    def to_eager_result(self) -> EagerResult:
        return EagerResult(list(self._records), self._summary, self.keys())


def _text(query: str | Query) -> tuple[str, float | None, Mapping[str, Any] | None]:
    if isinstance(query, Query):
        return str(query.text), query.timeout, query.metadata
    return query, None, None


def _mode(routing: RoutingControl | str) -> str:
    # The driver takes RoutingControl or its values ("r", "w"), as api/keys.py passes.
    return READ if RoutingControl(routing) is RoutingControl.READ else WRITE


class FakeTransaction:
    """A transaction of the fake: `run` records each query in it."""

    def __init__(self, driver: FakeDriver, record: Transaction) -> None:
        self._driver = driver
        self.record = record

    def run(self, query: str | Query, parameters: Mapping[str, Any] | None = None,
            **kwparameters: Any) -> FakeResult:
        text, timeout, metadata = _text(query)
        rec = self.record
        call = Call(text, {**(parameters or {}), **kwparameters}, rec.database,
                    rec.access_mode, rec.via, rec.id, rec.attempt,
                    timeout if timeout is not None else rec.timeout, metadata or rec.metadata)
        self.record.calls.append(call)
        return self._driver._answer(call)

    # An explicit transaction (session.begin_transaction()) ends in one of these.
    def commit(self) -> None:
        self.record.outcome = "committed"

    def rollback(self) -> None:
        self.record.outcome = "rolled back"

    def close(self) -> None:
        if self.record.outcome == "open":
            self.rollback()

    def __enter__(self) -> FakeTransaction:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is None and self.record.outcome == "open":
            self.commit()
        self.close()


class FakeSession:
    """A session of the fake on one database with a default access mode."""

    def __init__(self, driver: FakeDriver, database: str | None, access_mode: str) -> None:
        self._driver = driver
        self.database = database
        self.access_mode = access_mode
        self.closed = False

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def close(self) -> None:
        self.closed = True

    def run(self, query: str | Query, parameters: Mapping[str, Any] | None = None,
            **kwargs: Any) -> FakeResult:
        """An auto-commit query: never retried, as in the driver."""
        tx = self._driver._begin("session.run", self.access_mode, self.database, 1)
        result = FakeTransaction(self._driver, tx).run(query, parameters, **kwargs)
        tx.outcome = "committed"
        return result

    def begin_transaction(self, metadata: Mapping[str, Any] | None = None,
                          timeout: float | None = None) -> FakeTransaction:
        tx = self._driver._begin("transaction", self.access_mode, self.database, 1)
        tx.timeout, tx.metadata = timeout, metadata
        return FakeTransaction(self._driver, tx)

    def execute_read(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._driver._managed("execute_read", READ, self.database, work, args, kwargs)

    def execute_write(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._driver._managed("execute_write", WRITE, self.database, work, args, kwargs)


class FakeDriver:
    """A `neo4j.Driver` stand-in that records every query and answers from canned rows."""

    def __init__(self, *, max_attempts: int = 3) -> None:
        self.max_attempts = max_attempts
        self.transactions: list[Transaction] = []
        self.sessions: list[FakeSession] = []
        self.closed = False
        self._rules: list[_Rule] = []
        self._ids = count(1)

    # -- configuring answers --------------------------------------------------------------

    def on(self, match: Matcher, rows: Answer = (), *, error: BaseException | None = None,
           counters: Mapping[str, int] | None = None, times: int | None = None) -> None:
        """Queries matching `match` (a substring of the text, or a predicate on the Call)
        get `rows` (or `rows(call)`), or raise `error`; `counters` fill the summary's
        (e.g. {"nodes-deleted": 3}). The newest matching rule answers; after `times`
        answers it is dropped, so an error for the first attempt only is
        `on(..., error=..., times=1)` over the rule for the others."""
        self._rules.insert(0, _Rule(match, rows, error, counters or {}, times))

    # -- what was sent ----------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every query in the order sent (a retried transaction's queries once per try)."""
        return [c for tx in self.transactions for c in tx.calls]

    def queries(self, match: Matcher) -> list[Call]:
        """The calls whose text contains `match` (or that satisfy it)."""
        rule = _Rule(match, (), None, {}, None)
        return [c for c in self.calls if rule.matches(c)]

    def committed(self) -> list[Transaction]:
        return [tx for tx in self.transactions if tx.outcome == "committed"]

    # -- the driver's API ---------------------------------------------------------------

    def session(self, database: str | None = None, default_access_mode: str = WRITE,
                **config: Any) -> FakeSession:
        s = FakeSession(self, database, READ if default_access_mode == READ else WRITE)
        self.sessions.append(s)
        return s

    def execute_query(self, query_: str | Query, parameters_: Mapping[str, Any] | None = None,
                      routing_: RoutingControl | str = RoutingControl.WRITE,
                      database_: str | None = None, impersonated_user_: str | None = None,
                      bookmark_manager_: Any = None, auth_: Any = None,
                      result_transformer_: Callable[[FakeResult], Any] | None = None,
                      **kwargs: Any) -> Any:
        """One managed transaction with one query; keyword arguments are parameters."""
        params = {**(parameters_ or {}), **kwargs}

        def work(tx: FakeTransaction) -> Any:
            result = tx.run(query_, params)
            return (result_transformer_ or FakeResult.to_eager_result)(result)

        return self._managed("execute_query", _mode(routing_), database_, work, (), {})

    def verify_connectivity(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> FakeDriver:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    # -- inside ---------------------------------------------------------------------------

    def _begin(self, via: str, access_mode: str, database: str | None,
               attempt: int) -> Transaction:
        tx = Transaction(next(self._ids), via, access_mode, database, attempt)
        self.transactions.append(tx)
        return tx

    def _managed(self, via: str, access_mode: str, database: str | None,
                 work: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        for attempt in range(1, self.max_attempts + 1):
            tx = self._begin(via, access_mode, database, attempt)
            # `unit_of_work(timeout=..., metadata=...)` sets these on the function.
            tx.timeout = getattr(work, "timeout", None)
            tx.metadata = getattr(work, "metadata", None)
            try:
                done = work(FakeTransaction(self, tx), *args, **kwargs)
            except Exception as e:
                tx.outcome = "rolled back"
                retryable = getattr(e, "is_retryable", None)
                if attempt == self.max_attempts or not (retryable and retryable()):
                    raise
                log.debug("fake driver retries %s after %s", via, type(e).__name__)
                continue
            tx.outcome = "committed"
            return done
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _answer(self, call: Call) -> FakeResult:
        for rule in self._rules:
            if not rule.matches(call):
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
            if rule.error is not None:
                raise rule.error
            rows = rule.rows(call) if callable(rule.rows) else rule.rows
            return self._result(call, rows, rule.counters)
        return self._result(call, (), {})

    @staticmethod
    def _result(call: Call, rows: Rows, counters: Mapping[str, int]) -> FakeResult:
        summary = FakeSummary(call.query, call.parameters, call.database,
                              SummaryCounters(dict(counters)))
        return FakeResult([Record(dict(r)) for r in rows], summary)

"""The recording fake of the driver seam (tests/fakes.py), and the unit tier's guard."""

from __future__ import annotations

import confluent_kafka
import neo4j
import pytest
from neo4j import EagerResult, Query, RoutingControl, unit_of_work
from neo4j.exceptions import ClientError, TransientError

from api.db import make_async_driver
from fraudgraph.db import make_driver
from fraudgraph.settings import Settings
from tests.fakes import READ, WRITE, FakeDriver, FakeTransaction, server_error


def test_execute_query_records_text_parameters_database_and_routing() -> None:
    driver = FakeDriver()
    driver.on("RETURN $v", [{"v": 42}])
    res = driver.execute_query("RETURN $v AS v", {"v": 1}, database_="db1",
                               routing_=RoutingControl.READ, extra=2)
    assert isinstance(res, EagerResult)
    recs, summary, keys = res
    assert [r["v"] for r in recs] == [42] and keys == ["v"]
    assert summary.counters.nodes_created == 0
    (call,) = driver.calls
    assert (call.query, call.parameters, call.database, call.access_mode, call.via) == (
        "RETURN $v AS v", {"v": 1, "extra": 2}, "db1", READ, "execute_query")
    # Without routing_ the driver routes to the writer; "r" is RoutingControl.READ's value.
    driver.execute_query("CREATE ()", database_="db1")
    driver.execute_query(Query("MATCH (n) RETURN n", timeout=3.0), routing_="r")
    assert [(c.access_mode, c.timeout) for c in driver.calls[1:]] == [(WRITE, None), (READ, 3.0)]


def test_sessions_record_access_mode_transactions_and_unit_of_work_timeouts() -> None:
    driver = FakeDriver()
    driver.on(lambda c: c.parameters.get("id") == "a", lambda c: [{"id": c.parameters["id"]}])

    @unit_of_work(timeout=7.5)
    def read(tx: FakeTransaction, ident: str) -> list[str]:
        return [r["id"] for r in tx.run("MATCH (n {id: $id}) RETURN n.id AS id", id=ident)]

    def write(tx: FakeTransaction) -> None:
        tx.run("CREATE (:A)").consume()
        tx.run("CREATE (:B)").consume()

    with driver.session(database="db2", default_access_mode="READ") as s:
        assert s.execute_read(read, "a") == ["a"]
        assert s.execute_read(read, "b") == []
        s.execute_write(write)  # WRITE whatever the session's default
        s.run("MATCH (n) RETURN n").consume()
    assert [(t.via, t.access_mode, t.database, t.outcome, len(t.calls))
            for t in driver.transactions] == [
        ("execute_read", READ, "db2", "committed", 1),
        ("execute_read", READ, "db2", "committed", 1),
        ("execute_write", WRITE, "db2", "committed", 2),
        ("session.run", READ, "db2", "committed", 1)]
    assert driver.calls[0].timeout == 7.5 and driver.calls[2].timeout is None
    assert driver.sessions[0].closed


def test_managed_transactions_retry_only_retryable_errors() -> None:
    driver = FakeDriver()
    driver.on("CREATE", error=server_error("Neo.TransientError.Transaction.DeadlockDetected"),
              times=2)
    with driver.session(database="neo4j") as s:
        s.execute_write(lambda tx: tx.run("CREATE (:A)").consume())
    assert [(t.attempt, t.outcome) for t in driver.transactions] == [
        (1, "rolled back"), (2, "rolled back"), (3, "committed")]

    refused = FakeDriver()
    refused.on("CREATE", error=server_error("Neo.ClientError.Statement.SyntaxError"))
    with pytest.raises(ClientError), refused.session() as s:
        s.execute_write(lambda tx: tx.run("CREATE (").consume())
    assert len(refused.transactions) == 1

    # After max_attempts a transient error surfaces; an auto-commit query is never retried.
    stuck = FakeDriver(max_attempts=2)
    stuck.on("CREATE", error=server_error("Neo.TransientError.General.DatabaseUnavailable"))
    with pytest.raises(TransientError):
        stuck.execute_query("CREATE (:A)")
    with pytest.raises(TransientError), stuck.session() as s:
        s.run("CREATE (:A)")
    assert [t.via for t in stuck.transactions] == ["execute_query"] * 2 + ["session.run"]


def test_server_error_has_the_driver_class_and_code() -> None:
    e = server_error("Neo.ClientError.Schema.ConstraintValidationFailed", "exists")
    assert isinstance(e, neo4j.exceptions.ConstraintError)
    assert (e.code, e.message, e.is_retryable()) == (
        "Neo.ClientError.Schema.ConstraintValidationFailed", "exists", False)


def test_the_unit_tier_builds_no_driver_and_no_kafka_client(request: pytest.FixtureRequest
                                                            ) -> None:
    # This test needs no server, so tests/conftest.py put it in the unit tier.
    assert request.node.get_closest_marker("unit") is not None
    with pytest.raises(RuntimeError, match="unit tier needs no server"):
        neo4j.GraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "x"))
    with pytest.raises(RuntimeError, match="unit tier needs no server"):
        neo4j.AsyncGraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "x"))
    # The project's own factories, which import the names at module level, are refused too.
    remote = Settings(neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="unit tier needs no server"):
        make_driver(remote)
    with pytest.raises(RuntimeError, match="unit tier needs no server"):
        make_async_driver(remote)
    with pytest.raises(RuntimeError, match="unit tier needs no server"):
        confluent_kafka.Producer({"bootstrap.servers": "127.0.0.1:1"})
    with pytest.raises(RuntimeError, match="unit tier needs no server"):
        confluent_kafka.admin.AdminClient({"bootstrap.servers": "127.0.0.1:1"})

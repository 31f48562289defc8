"""The cypher room's queries as the driver sees them (tests/fakes.py, no server): the
investigators' library and the heuristics only read, through READ transactions with their
timeouts; the schema is written by auto-routed writes, and the reset stays auto-commit."""

from __future__ import annotations

import pytest

from cypher import statement
from cypher.errors import QueryFailedError, WriteRefusedError
from cypher.graph_schema import SCHEMA_VERSION, apply_schema, reset_data, statements
from cypher.heuristics import load_heuristics, resolve_params, run_heuristic
from cypher.library import QueryLibrary
from tests.fakes import READ, WRITE, FakeDriver, server_error

DB = "fraud"


def test_a_library_query_runs_its_file_in_a_read_transaction_with_its_timeout() -> None:
    lib = QueryLibrary.load()
    driver = FakeDriver()
    driver.on("MATCH (n:Account {id: $id})", [{"nodes": [{"id": "acc_1"}], "edges": []}])
    out = lib.run(driver, DB, "neighbourhood", {"id": "acc_1", "hops": 3}, timeout_s=4.0)
    assert out["nodes"] == [{"id": "acc_1"}]
    (tx,) = driver.transactions
    assert (tx.via, tx.access_mode, tx.database, tx.timeout) == ("execute_read", READ, DB, 4.0)
    (call,) = tx.calls
    assert call.query == lib.get("neighbourhood").file.body
    # The parameters sent are the validated ones, the file's defaults filled in.
    assert call.parameters["hops"] == 3 and call.parameters["max_nodes"] == 200


def test_a_write_refused_by_the_read_transaction_is_its_own_error() -> None:
    lib = QueryLibrary.load()
    driver = FakeDriver()
    driver.on("", error=server_error("Neo.ClientError.Statement.AccessMode", "no writes"))
    with pytest.raises(WriteRefusedError):
        lib.run(driver, DB, "neighbourhood", {"id": "acc_1"})
    driver = FakeDriver()
    driver.on("", error=server_error("Neo.ClientError.Statement.SyntaxError", "bad"))
    with pytest.raises(QueryFailedError, match="SyntaxError"):
        lib.run(driver, DB, "neighbourhood", {"id": "acc_1"})
    assert len(driver.transactions) == 1  # a client error is not retried


def test_a_heuristic_reads_with_the_window_and_its_timeout() -> None:
    h = load_heuristics()["shared_device"]
    assert not h.derives  # no calibration reads before it
    params = resolve_params({h.name: h}, {})[h.name]
    driver = FakeDriver()
    run = run_heuristic(driver, DB, h, params, as_of=1_780_000_000, window_s=86_400,
                        timeout_s=9.0)
    assert run.hits == []
    (call,) = driver.calls
    assert (call.via, call.access_mode, call.database, call.timeout) == (
        "execute_query", READ, DB, 9.0)
    assert call.query == h.file.body
    assert {"as_of": 1_780_000_000, "window_s": 86_400}.items() <= call.parameters.items()
    assert "max_evidence" in call.parameters


def test_the_schema_is_written_statement_by_statement_and_the_reset_is_auto_commit() -> None:
    driver = FakeDriver()
    assert apply_schema(driver, DB) == len(statements())
    sent = [c.query for c in driver.calls]
    assert sent == [*statements(), statement("schema/version_write"),
                    statement("schema/await_indexes")]
    assert {(c.via, c.access_mode, c.database) for c in driver.calls} == {
        ("execute_query", WRITE, DB)}
    assert driver.calls[-2].parameters == {"v": SCHEMA_VERSION}

    # CALL { } IN TRANSACTIONS is refused inside a managed transaction: session.run it is.
    reset = FakeDriver()
    reset.on(statement("schema/reset_nodes"), counters={"nodes-deleted": 12})
    assert reset_data(reset, DB) == 12
    assert [(c.query, c.via, c.access_mode) for c in reset.calls] == [
        (statement(f"schema/{n}"), "session.run", WRITE)
        for n in ("reset_relationships", "reset_nodes", "reset_provenance")]

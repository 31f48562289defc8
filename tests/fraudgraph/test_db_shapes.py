"""`write_batches` as the driver sees it (tests/fakes.py, no server): UNWIND $rows in one
managed write transaction per batch, on the database given, so the driver may retry one."""

from __future__ import annotations

from fraudgraph.db import write_batches
from tests.fakes import WRITE, FakeDriver, server_error

QUERY = "UNWIND $rows AS r MERGE (:Probe {id: r.id})"


def test_rows_go_in_write_transactions_of_batch_size_with_the_extra_parameters() -> None:
    driver = FakeDriver()
    sizes: list[int] = []
    rows = [{"id": i} for i in range(12)]
    assert write_batches(driver, "fraud", QUERY, iter(rows), batch_size=5,
                         params={"run": "r1"}, on_batch=sizes.append) == 12
    assert sizes == [5, 5, 2]
    assert [(t.via, t.access_mode, t.database, t.outcome) for t in driver.transactions] == [
        ("execute_write", WRITE, "fraud", "committed")] * 3
    sent = [c.parameters for c in driver.calls]
    assert [p["rows"] for p in sent] == [rows[:5], rows[5:10], rows[10:]]
    assert {p["run"] for p in sent} == {"r1"} and {c.query for c in driver.calls} == {QUERY}


def test_a_transient_failure_is_retried_within_the_batch() -> None:
    driver = FakeDriver()
    driver.on(QUERY, error=server_error("Neo.TransientError.Transaction.DeadlockDetected"),
              times=1)
    assert write_batches(driver, "fraud", QUERY, [{"id": 1}]) == 1
    assert [(t.attempt, t.outcome) for t in driver.transactions] == [
        (1, "rolled back"), (2, "committed")]


def test_no_rows_send_nothing() -> None:
    driver = FakeDriver()
    assert write_batches(driver, "fraud", QUERY, []) == 0
    assert driver.transactions == []

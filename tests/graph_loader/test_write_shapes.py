"""The loader's writes as the driver sees them (tests/fakes.py, no server): each batch one
managed write transaction on the configured database, with its progress record in it;
the statements are the loader's .cypher files; errors retried only where retrying helps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

from cypher import statement
from fraudgraph.errors import GraphUnavailableError
from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.errors import GraphLoaderError
from graph_loader.feeds import FEEDS_BY_NAME
from graph_loader.load import load_directory
from graph_loader.writer import Writers, cypher, read_progress
from tests.fakes import READ, WRITE, FakeDriver, server_error

DB = "fraud"
PROGRESS = {"key": "transfers:abc", "feed": "transfers", "file": "transfers.csv",
            "after": 0, "rows_done": 2, "max_ts": 1_780_000_000}


def loader_fake() -> FakeDriver:
    """A fake that answers what a load reads back: an empty graph with no progress."""
    driver = FakeDriver()
    driver.on(cypher("progress_lock"), [{"done": None, "ahead": None}])
    driver.on(lambda c: c.query.rstrip().endswith("AS c"), [{"c": 0}])  # graph_counts
    return driver


def test_a_load_writes_each_batch_with_its_progress_in_one_write_transaction(
        tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path) -> None:
    driver = loader_fake()
    rep = load_directory(driver, DB, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                         progress=False)
    assert rep.rejected == 0 and rep.loaded > 0
    assert {c.database for c in driver.calls} == {DB}

    texts = {cypher(f.name): f.name for f in FEEDS_BY_NAME.values()}
    texts |= {cypher(f"{f.name}_create"): f.name for f in FEEDS_BY_NAME.values() if f.fast_path}
    batches: dict[str, Any] = {}
    for tx in driver.committed():
        first = tx.calls[0].query
        if first == cypher("banks"):  # the accounts' banks: no rows of a file, no progress
            assert (tx.via, len(tx.calls), tx.calls[0].parameters) == (
                "execute_write", 1, {"rows": ["FORTE", "HALYK", "KASPI"]})
        if first not in texts:
            continue
        feed = texts[first]
        # A batch and its progress record commit together, or neither does.
        assert (tx.via, tx.access_mode) == ("execute_write", WRITE), feed
        assert [c.query for c in tx.calls] == [first, cypher("progress_lock"),
                                               cypher("progress")], feed
        assert tx.calls[1].parameters["feed"] == feed
        assert tx.calls[1].parameters["key"] == tx.calls[2].parameters["key"]
        batches[feed] = tx.calls[0]
    assert set(batches) == {f for f in FEEDS_BY_NAME if (tiny_feeds / f"{f}.csv").exists()}

    # The high-volume feeds send one list per field, the others $rows of maps; either way
    # one entry per row of the file (the tiny world rejects none).
    for feed, call in batches.items():
        rows = len((tiny_feeds / f"{feed}.csv").read_text().splitlines()) - 1
        if FEEDS_BY_NAME[feed].columnar:
            assert "UNWIND range(0, size($" in call.query, feed
            assert {len(v) for v in call.parameters.values()} == {rows}, feed
        else:
            assert "UNWIND $rows" in call.query, feed
            assert set(call.parameters) == {"rows"} and len(call.parameters["rows"]) == rows
    # The event feeds try the CREATE-only statement first (MERGE only on a conflict).
    assert batches["transfers"].query == cypher("transfers_create")
    assert {"tx_id", "src", "dst", "amount", "ts"} <= set(batches["transfers"].parameters)

    # What the load reads goes to readers: the accounts known already, the final counts.
    known = driver.queries(statement("load/known_accounts"))
    assert [(c.via, c.access_mode) for c in known] == [("session.run", READ)]
    counts = [c for c in driver.calls if c.query.rstrip().endswith("AS c")]
    assert counts and {(c.via, c.access_mode) for c in counts} == {("execute_query", READ)}


def test_a_fast_batch_refused_by_a_constraint_is_merged_instead() -> None:
    driver = loader_fake()
    fast, merge = cypher("transfers_create"), cypher("transfers")
    driver.on(fast, error=server_error("Neo.ClientError.Schema.ConstraintValidationFailed"))
    writers = Writers(driver, DB, 1)
    writers.put(merge, {"tx_id": ["t1"]}, fast, PROGRESS)
    writers.close()
    # The constraint error is no transient one: not retried, the MERGE statement instead.
    assert [(t.calls[0].query, t.attempt, t.outcome) for t in driver.transactions] == [
        (fast, 1, "rolled back"), (merge, 1, "committed")]


def test_a_transient_error_is_retried_and_the_batch_commits_once() -> None:
    driver = loader_fake()
    merge = cypher("accounts")
    driver.on(merge, error=server_error("Neo.TransientError.Transaction.DeadlockDetected"),
              times=1)
    writers = Writers(driver, DB, 1)
    writers.put(merge, {"rows": [{"id": "a"}]}, None, PROGRESS)
    writers.close()
    assert [(t.attempt, t.outcome) for t in driver.transactions] == [
        (1, "rolled back"), (2, "committed")]
    assert len(driver.committed()[0].calls) == 3  # the batch and its progress record


@pytest.mark.parametrize(("error", "raised", "attempts"), [
    (server_error("Neo.ClientError.Statement.SyntaxError", "bad"), GraphLoaderError, 1),
    (ServiceUnavailable("gone"), GraphUnavailableError, 3),  # retried, then given up
])
def test_a_refused_or_lost_batch_fails_the_load(error: Exception, raised: type[Exception],
                                                attempts: int) -> None:
    driver = loader_fake()
    merge = cypher("accounts")
    driver.on(merge, error=error)
    writers = Writers(driver, DB, 1)
    writers.put(merge, {"rows": [{"id": "a"}]}, None, PROGRESS)
    with pytest.raises(raised):
        writers.close()
    assert len(driver.transactions) == attempts and not driver.committed()


def test_read_progress_reads_the_files_watermark_from_the_database() -> None:
    driver = FakeDriver()
    driver.on(statement("load/progress_read"), [{"done": 7, "ahead": [9, 12]}])
    p = read_progress(driver, DB, "accounts:abc")
    assert (p.done, p.ahead) == (7, [(9, 12)])
    (call,) = driver.calls
    assert (call.parameters, call.database) == ({"key": "accounts:abc"}, DB)

"""The casework stores' queries as the driver sees them (tests/fakes.py, no server): the
monitoring report only reads, each of its statements routed to a reader."""

from __future__ import annotations

from casework.monitor_store import current_scores, q, report
from tests.fakes import READ, FakeDriver

DB = "fraud"
WEEK = 7 * 86_400


def test_the_monitoring_report_reads_its_statements_on_readers() -> None:
    driver = FakeDriver()
    driver.on(q("monitor_runs"), [{"as_of": 10 * WEEK, "model": "gnn-1", "raised": 3}])
    out = report(driver, DB, weeks=2)
    # The newest run sets the window: `weeks` before it, given to every statement.
    assert out["since_ts"] == 8 * WEEK and out["model"] == "gnn-1"
    sent = [(c.query, c.parameters) for c in driver.calls]
    assert sent == [(q("monitor_runs"), {"since": 0}),
                    (q("monitor_runs"), {"since": 8 * WEEK}),
                    (q("monitor_alerts"), {"since": 8 * WEEK}),
                    (q("monitor_incidents"), {"since": 8 * WEEK}),
                    (q("lead_accounts"), {})]
    assert {(c.via, c.access_mode, c.database) for c in driver.calls} == {
        ("execute_query", READ, DB)}


def test_current_scores_read_one_list_on_a_reader() -> None:
    driver = FakeDriver()
    driver.on(q("scores"), [{"scores": [0.1, 0.9]}])
    assert current_scores(driver, DB).tolist() == [0.1, 0.9]
    assert [(c.query, c.access_mode) for c in driver.calls] == [(q("scores"), READ)]
    assert current_scores(FakeDriver(), DB).size == 0  # no row: no scores

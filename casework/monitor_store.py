"""Monitoring reads (`GET /v1/monitoring`, `fraudgraph monitor`) and the drift measure
each alert run records: PSI of the current GNN scores against the scores the
registered model produced on its own evaluation window (``test_scores.npz``)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import Driver, RoutingControl

from casework.alert_store import q
from casework.monitoring import DAY_S, lead_time_days, psi, weekly

log = logging.getLogger(__name__)


def reference_scores(models_root: Path) -> tuple[np.ndarray | None, str | None]:
    """The latest registered model's evaluation-window GNN scores and its version."""
    from gnn.errors import GnnError
    from gnn.registry import latest

    try:
        directory = latest(models_root)
    except GnnError:
        return None, None
    path = directory / "test_scores.npz"
    if not path.exists():
        return None, directory.name
    with np.load(path) as z:
        ref = z.get("score_gnn", None)
    return (None if ref is None else np.asarray(ref, dtype=np.float64)), directory.name


def current_scores(driver: Driver, database: str) -> np.ndarray:
    recs, _, _ = driver.execute_query(q("scores"), database_=database,
                                      routing_=RoutingControl.READ)
    return np.asarray(recs[0]["scores"] if recs else [], dtype=np.float64)


def score_drift(driver: Driver, database: str, models_root: Path
                ) -> tuple[float | None, str | None]:
    ref, version = reference_scores(models_root)
    if ref is None:
        return None, version
    value = psi(ref, current_scores(driver, database))
    return (None if value is None else round(value, 4)), version


def assemble(runs: list[dict[str, Any]], alerts: list[dict[str, Any]],
             incidents: list[dict[str, Any]], accounts: list[dict[str, Any]],
             since_ts: int) -> dict[str, Any]:
    """The report from the rows of the monitor_* statements (shared by the CLI's sync
    driver and the API's async one)."""
    lead = lead_time_days(
        {r["id"]: r["first_alert"] for r in accounts if r["first_alert"] is not None},
        {r["id"]: r["first_report"] for r in accounts})
    model = max(runs, key=lambda r: r["as_of"])["model"] if runs else None
    return {"since_ts": since_ts, "weeks": weekly(alerts, incidents, runs), "lead_time": lead,
            "model": model}


def default_since(run_times: list[int], weeks: int, now_ts: int) -> int:
    return max(run_times, default=now_ts) - weeks * 7 * DAY_S


def report(driver: Driver, database: str, *, since_ts: int | None = None,
           weeks: int = 12, now_ts: int | None = None) -> dict[str, Any]:
    """The weekly report since ``since_ts`` (default: ``weeks`` weeks before the newest
    alert run or, without one, before ``now_ts``)."""
    def read(name: str, **params: Any) -> list[dict[str, Any]]:
        recs, _, _ = driver.execute_query(q(name), params, database_=database,
                                          routing_=RoutingControl.READ)
        return [r.data() for r in recs]

    if since_ts is None:
        since_ts = default_since([int(r["as_of"]) for r in read("monitor_runs", since=0)],
                                 weeks, now_ts or int(time.time()))
    return assemble(read("monitor_runs", since=since_ts), read("monitor_alerts", since=since_ts),
                    read("monitor_incidents", since=since_ts), read("lead_accounts"), since_ts)

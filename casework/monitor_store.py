"""Monitoring reads (`GET /v1/monitoring`, `fraudgraph monitor`) and the drift measure
each alert run records: PSI of the current GNN scores against the scores the
registered model produced on its own evaluation window (``test_scores.npz``)."""

from __future__ import annotations

import logging
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


def report(driver: Driver, database: str, *, since_ts: int | None = None,
           weeks: int = 12, now_ts: int | None = None) -> dict[str, Any]:
    """The weekly report since ``since_ts`` (default: ``weeks`` weeks before the newest
    alert run or, without one, before ``now_ts``)."""
    def read(name: str, **params: Any) -> list[dict[str, Any]]:
        recs, _, _ = driver.execute_query(q(name), params, database_=database,
                                          routing_=RoutingControl.READ)
        return [r.data() for r in recs]

    if since_ts is None:
        runs = read("monitor_runs", since=0)
        end = max([int(r["as_of"]) for r in runs], default=now_ts or 0)
        since_ts = end - weeks * 7 * DAY_S
    runs = read("monitor_runs", since=since_ts)
    rows = weekly(read("monitor_alerts", since=since_ts),
                  read("monitor_incidents", since=since_ts), runs)
    acc = read("lead_accounts")
    lead = lead_time_days({r["id"]: r["first_alert"] for r in acc if r["first_alert"] is not None},
                          {r["id"]: r["first_report"] for r in acc})
    model = max(runs, key=lambda r: r["as_of"])["model"] if runs else None
    return {"since_ts": since_ts, "weeks": rows, "lead_time": lead, "model": model}

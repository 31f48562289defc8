"""`fraudgraph detect`: run every heuristic read-only, write one Signal per hit."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, RoutingControl
from tqdm import tqdm

from cypher import statement
from cypher.calibration import calibrate
from cypher.errors import CypherError, QueryFailedError
from cypher.heuristics import (
    Heuristic,
    apply_derived,
    load_heuristics,
    resolve_params,
    run_heuristic,
)
from cypher.signals import finish_run, new_run_id, start_run, write_signals

log = logging.getLogger(__name__)
DAY_S = 86_400


@dataclass
class Outcome:
    name: str
    severity: str
    entity: str
    hits: int = 0
    signals: int = 0
    query_s: float = 0.0
    write_s: float = 0.0
    error: str | None = None


@dataclass
class DetectReport:
    run_id: str
    as_of: int
    window_s: int
    started_at: str
    params: dict[str, dict[str, Any]]
    # The data's distributions over the window and, per heuristic, each threshold derived
    # from them (or the override given instead).
    calibration: dict[str, Any] = field(default_factory=dict)
    thresholds: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    finished_at: str = ""
    seconds: float = 0.0
    stale_deleted: int = 0

    @property
    def ok(self) -> bool:
        return all(o.error is None for o in self.outcomes)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["as_of_iso"] = datetime.fromtimestamp(self.as_of, UTC).isoformat()
        d["ok"] = self.ok
        return d

    def summary(self) -> dict[str, Any]:
        """What the DetectRun node keeps: per heuristic hits, signals, seconds."""
        return {"heuristics": {o.name: {"hits": o.hits, "signals": o.signals,
                                        "seconds": round(o.query_s + o.write_s, 3),
                                        "error": o.error} for o in self.outcomes},
                "calibration": self.calibration, "thresholds": self.thresholds}


def newest_event_ts(driver: Driver, database: str) -> int | None:
    """Epoch seconds of the newest transfer (transfer_at index, read backwards)."""
    recs, _, _ = driver.execute_query(
        statement("detect/newest_event"), database_=database, routing_=RoutingControl.READ)
    return int(recs[0]["ts"]) if recs else None


def oldest_event_ts(driver: Driver, database: str) -> int | None:
    recs, _, _ = driver.execute_query(
        statement("detect/oldest_event"), database_=database, routing_=RoutingControl.READ)
    return int(recs[0]["ts"]) if recs else None


def whole_window(driver: Driver, database: str, as_of: int) -> int:
    """A window reaching back to the oldest transfer (at least one day)."""
    oldest = oldest_event_ts(driver, database)
    return max(DAY_S, as_of - oldest + 1) if oldest is not None else DAY_S


def resolve_as_of(driver: Driver, database: str, as_of: int | None) -> int:
    """The given time, else the newest transfer (a replayed world), else now."""
    if as_of is not None:
        return as_of
    newest = newest_event_ts(driver, database)
    return newest if newest is not None else int(time.time())


def detect(driver: Driver, database: str, *, as_of: int | None = None,
           window_s: int | None = 30 * DAY_S,
           overrides: Mapping[str, Mapping[str, str]] | None = None,
           run_id: str | None = None, only: list[str] | None = None,
           heuristics: Mapping[str, Heuristic] | None = None, batch_size: int = 5000,
           progress: bool = True, timeout_s: float | None = None) -> DetectReport:
    """Run the heuristics and write their signals under one DetectRun.

    `window_s=None` looks back over the whole of the data. Thresholds the heuristics derive
    from the data are measured once, over the window, before any heuristic runs.
    """
    catalog = dict(heuristics or load_heuristics())
    if only:
        missing = sorted(set(only) - set(catalog))
        if missing:
            raise CypherError(f"unknown heuristic(s): {', '.join(missing)}")
        catalog = {k: v for k, v in catalog.items() if k in only}
    params = resolve_params(catalog, overrides or {})
    started = datetime.now(UTC)
    as_of = resolve_as_of(driver, database, as_of)
    if window_s is None:
        window_s = whole_window(driver, database, as_of)
    run_id = run_id or new_run_id(started)
    t0 = time.monotonic()
    cal = calibrate(driver, database, as_of=as_of, window_s=window_s)
    thresholds: dict[str, dict[str, dict[str, Any]]] = {}
    for name, h in catalog.items():
        params[name], how = apply_derived(h, params[name], cal)
        if how:
            thresholds[name] = how
    log.info("calibration: %s", cal.summary())
    report = DetectReport(run_id=run_id, as_of=as_of, window_s=window_s,
                          started_at=started.isoformat(), params=params,
                          calibration=cal.as_dict(), thresholds=thresholds)
    generation = start_run(driver, database, run_id, started_at=started, as_of=as_of,
                           window_s=window_s,
                           params={"as_of": as_of, "window_s": window_s, "heuristics": params})
    bar = tqdm(list(catalog.values()), desc="detect", unit="heuristic", disable=not progress)
    for h in bar:
        bar.set_postfix_str(h.name)
        out = Outcome(h.name, h.severity, h.entity)
        report.outcomes.append(out)
        try:
            res = run_heuristic(driver, database, h, params[h.name], as_of=as_of,
                                window_s=window_s, timeout_s=timeout_s, calibration=cal)
        except QueryFailedError as e:
            out.error = str(e)
            log.error("%s", e)
            continue
        out.hits, out.query_s = len(res.hits), round(res.seconds, 3)
        t1 = time.monotonic()
        out.signals = write_signals(driver, database, run_id=run_id, generation=generation,
                                    heuristic=h.name, severity=h.severity, hits=res.hits,
                                    created_at=started, batch_size=batch_size)
        out.write_s = round(time.monotonic() - t1, 3)
        log.info("%s: %d hits in %.2fs", h.name, out.hits, out.query_s)
    bar.close()
    finished = datetime.now(UTC)
    report.stale_deleted = finish_run(driver, database, run_id=run_id, generation=generation,
                                      finished_at=finished, ok=report.ok,
                                      summary=report.summary(),
                                      calibration=cal.summary())
    report.finished_at = finished.isoformat()
    report.seconds = round(time.monotonic() - t0, 3)
    return report

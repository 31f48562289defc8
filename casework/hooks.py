"""Alerts raised by the runs themselves: `fraudgraph detect`, `score` and `propagate` call
`alerts_after_run` once their run has succeeded, so the queue follows every new piece of
evidence without a separate `fraudgraph alerts raise` (which stays, for a run with other
thresholds or after `fraudgraph clusters`).

The hook is one ordinary alert run (`casework.alert_store.raise_alerts`): it gathers the
evidence of *every* source, not only the run that called it, so whichever run comes last
sees the signals, scores, risk and clusters together, merged into one alert per entity;
an open alert is updated (merged), a dismissed or closed one holds until its evidence
changes, exactly as for `alerts raise`.
"""

from __future__ import annotations

import logging
from typing import Any

from neo4j import Driver

from casework.alert_store import RaiseReport, raise_alerts
from casework.alerts import AlertConfig
from casework.errors import CaseworkError
from casework.monitor_store import score_drift
from fraudgraph.settings import Settings

log = logging.getLogger(__name__)

# The runs that raise alerts; the name only labels the log line.
TRIGGERS = ("detect", "score", "propagate")


def alerts_after_run(driver: Driver, database: str, settings: Settings, trigger: str, *,
                     as_of: int | None = None, cfg: AlertConfig | None = None
                     ) -> RaiseReport:
    """One alert run after a successful ``trigger`` run. ``as_of`` is the run's own data
    time where it has one (detect's ``--as-of``), so its alerts are dated like its
    signals; by default the newest transfer, as for `alerts raise`."""
    if trigger not in TRIGGERS:
        raise CaseworkError(f"unknown alert trigger {trigger!r}")
    models = settings.var_dir / "models"
    rep = raise_alerts(driver, database, cfg, as_of=as_of,
                       drift=lambda: score_drift(driver, database, models))
    log.info("alerts after %s: %s", trigger, describe(rep))
    return rep


def describe(rep: RaiseReport) -> str:
    """The one line a command prints about its alert run."""
    return (f"{rep.raised} raised, {rep.updated} merged into open alerts, "
            f"{rep.suppressed} held by dismissals, {rep.stale} open alerts no longer "
            f"flagged (alert run {rep.run_id})")


def summary(rep: RaiseReport | None) -> dict[str, Any] | None:
    """The ``alerts`` block of a command's JSON report: the alert run's report (as
    `alerts raise --report` writes it) plus ``merged``, the open alerts it updated;
    None when the command ran with ``--no-alerts``."""
    if rep is None:
        return None
    return {**rep.as_dict(), "merged": rep.updated}

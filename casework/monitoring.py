"""Monitoring of the investigator's loop (pure): weekly alert volumes and verdict mix
(alert precision), score drift as a population stability index, and the lead time the
alerts gave over victims' reports.

- **Precision** of a week's closed alerts = confirmed fraud / (confirmed + not fraud +
  dismissed); inconclusive verdicts are left out of both sides.
- **PSI** = sum over bins of (cur - ref) * ln(cur / ref), bins at the reference's
  deciles, shares floored at 1e-4 so an empty bin stays finite. Conventionally < 0.1 is
  stable, 0.1-0.25 a shift worth watching, > 0.25 a shift that calls for retraining.
- **Lead time** of an incident = its report time minus the first alert raised, before
  the report, on one of its beneficiaries; an incident without such an alert was not
  alerted in advance. Weeks are ISO weeks (Monday 00:00 UTC) of the data's own times.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

import numpy as np

DAY_S = 86_400
PSI_FLOOR = 1e-4


def psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float | None:
    """Population stability index of ``current`` against ``reference`` (None when either
    is empty)."""
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(current, dtype=np.float64)
    ref, cur = ref[np.isfinite(ref)], cur[np.isfinite(cur)]
    if ref.size == 0 or cur.size == 0:
        return None
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=edges.size + 1)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=edges.size + 1)
    rs = np.maximum(r / ref.size, PSI_FLOOR)
    cs = np.maximum(c / cur.size, PSI_FLOOR)
    return float(np.sum((cs - rs) * np.log(cs / rs)))


def week_of(ts: float) -> str:
    """The ISO date of the Monday (UTC) that starts the week of ``ts``."""
    d = datetime.fromtimestamp(ts, UTC).date()
    return (d - timedelta(days=d.weekday())).isoformat()


def _week() -> dict[str, Any]:
    return {"alerts_raised": 0, "alerts_closed": 0,
            "verdicts": {"confirmed_fraud": 0, "not_fraud": 0, "inconclusive": 0,
                         "dismissed": 0},
            "precision": None, "psi": None, "incidents": 0, "incidents_alerted_before": 0,
            "alerted_share": None, "median_lead_days": None}


def weekly(alerts: Iterable[Mapping[str, Any]], incidents: Iterable[Mapping[str, Any]],
           runs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per week, oldest first.

    ``alerts``: {raised_ts, status, verdict, closed_ts} (closed_ts: when dismissed or
    closed); ``incidents``: {reported_ts, first_alert_ts} (the first alert before the
    report on any beneficiary, or None); ``runs``: alert runs {as_of, psi}."""
    weeks: dict[str, dict[str, Any]] = defaultdict(_week)
    leads: dict[str, list[float]] = defaultdict(list)
    for a in alerts:
        weeks[week_of(a["raised_ts"])]["alerts_raised"] += 1
        if a.get("closed_ts") is not None and a.get("status") in ("dismissed", "closed"):
            w = weeks[week_of(a["closed_ts"])]
            w["alerts_closed"] += 1
            verdict = "dismissed" if a["status"] == "dismissed" else a.get("verdict")
            if verdict in w["verdicts"]:
                w["verdicts"][verdict] += 1
    for i in incidents:
        w = weeks[week_of(i["reported_ts"])]
        w["incidents"] += 1
        first = i.get("first_alert_ts")
        if first is not None and first < i["reported_ts"]:
            w["incidents_alerted_before"] += 1
            leads[week_of(i["reported_ts"])].append((i["reported_ts"] - first) / DAY_S)
    latest_run: dict[str, tuple[float, float]] = {}
    for r in runs:
        if r.get("psi") is None:
            continue
        k = week_of(r["as_of"])
        if k not in latest_run or r["as_of"] >= latest_run[k][0]:
            latest_run[k] = (r["as_of"], float(r["psi"]))
    for k, (_, value) in latest_run.items():
        weeks[k]["psi"] = round(value, 4)
    out = []
    for k in sorted(weeks):
        w = weeks[k]
        v = w["verdicts"]
        judged = v["confirmed_fraud"] + v["not_fraud"] + v["dismissed"]
        w["precision"] = round(v["confirmed_fraud"] / judged, 4) if judged else None
        if w["incidents"]:
            w["alerted_share"] = round(w["incidents_alerted_before"] / w["incidents"], 4)
        if leads[k]:
            w["median_lead_days"] = round(median(leads[k]), 2)
        out.append({"week": k, **w})
    return out


def lead_time_days(first_alert: Mapping[str, float], first_report: Mapping[str, float]
                   ) -> dict[str, Any]:
    """Over accounts that were later reported: how many had been alerted before their
    first report, and the median days between first alert and first report."""
    reported = list(first_report)
    before = [(first_report[a] - first_alert[a]) / DAY_S for a in reported
              if a in first_alert and first_alert[a] < first_report[a]]
    return {"reported_accounts": len(reported), "alerted_before": len(before),
            "median_lead_days": round(median(before), 2) if before else None}

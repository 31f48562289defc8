"""Monitoring maths (pure): PSI, weekly buckets, precision and lead time."""

from __future__ import annotations

import numpy as np
import pytest

from casework.monitoring import DAY_S, lead_time_days, psi, week_of, weekly

MON = 1_772_409_600  # 2026-03-02T00:00:00Z, a Monday


def test_psi_is_zero_for_the_same_population_and_grows_with_shift() -> None:
    rng = np.random.default_rng(0)
    ref = rng.beta(2, 8, 5000)
    assert psi(ref, rng.beta(2, 8, 5000)) == pytest.approx(0.0, abs=0.02)
    small, big = psi(ref, rng.beta(2.5, 8, 5000)), psi(ref, rng.beta(5, 5, 5000))
    assert small is not None and big is not None
    assert 0.0 < small < 0.25 < big
    assert psi(ref, np.array([])) is None
    # All of the current mass in one bin stays finite.
    assert np.isfinite(psi(ref, np.ones(100)) or 0)


def test_week_of_is_monday_utc() -> None:
    assert week_of(MON) == "2026-03-02"
    assert week_of(MON + 6 * DAY_S + 86399) == "2026-03-02"
    assert week_of(MON + 7 * DAY_S) == "2026-03-09"


def test_weekly_counts_precision_and_lead() -> None:
    alerts = [
        {"raised_ts": MON, "status": "closed", "verdict": "confirmed_fraud",
         "closed_ts": MON + 8 * DAY_S},
        {"raised_ts": MON, "status": "closed", "verdict": "not_fraud",
         "closed_ts": MON + 8 * DAY_S},
        {"raised_ts": MON + DAY_S, "status": "dismissed", "verdict": None,
         "closed_ts": MON + 9 * DAY_S},
        {"raised_ts": MON + DAY_S, "status": "closed", "verdict": "inconclusive",
         "closed_ts": MON + 9 * DAY_S},
        {"raised_ts": MON + 2 * DAY_S, "status": "open", "verdict": None, "closed_ts": None},
    ]
    incidents = [
        {"reported_ts": MON + 8 * DAY_S, "first_alert_ts": MON},  # 8 days ahead
        {"reported_ts": MON + 9 * DAY_S, "first_alert_ts": MON + 5 * DAY_S},  # 4 days
        {"reported_ts": MON + 10 * DAY_S, "first_alert_ts": None},
    ]
    runs = [{"as_of": MON, "psi": 0.05}, {"as_of": MON + 3 * DAY_S, "psi": 0.12},
            {"as_of": MON + 8 * DAY_S, "psi": None}]
    w1, w2 = weekly(alerts, incidents, runs)
    assert w1["week"] == "2026-03-02" and w1["alerts_raised"] == 5 and w1["alerts_closed"] == 0
    assert w1["psi"] == 0.12  # the week's latest run
    assert w2["alerts_closed"] == 4
    assert w2["verdicts"] == {"confirmed_fraud": 1, "not_fraud": 1, "inconclusive": 1,
                              "dismissed": 1}
    assert w2["precision"] == pytest.approx(1 / 3, abs=1e-4)  # inconclusive counts on neither side
    assert (w2["incidents"], w2["incidents_alerted_before"]) == (3, 2)
    assert w2["alerted_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert w2["median_lead_days"] == 6.0


def test_lead_time_over_later_reported_accounts() -> None:
    first_alert = {"a": 0.0, "b": 10 * DAY_S, "c": 0.0}
    first_report = {"a": 2 * DAY_S, "b": 5 * DAY_S, "d": DAY_S}  # b alerted after its report
    assert lead_time_days(first_alert, first_report) == {
        "reported_accounts": 3, "alerted_before": 1, "median_lead_days": 2.0}

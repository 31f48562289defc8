"""The data's scale: quantiles, grain and typical gap (pure), and the two statements."""

from __future__ import annotations

import pytest
from neo4j import Driver

from cypher.calibration import (
    GRID,
    Calibration,
    Derive,
    calibrate,
    derive_value,
    grain_of,
    parse_derive,
    quantile,
)
from cypher.errors import CatalogError
from tests.cypher.conftest import DAY, HOUR
from tests.cypher.scaled import World


def test_quantile_interpolates_on_the_grid() -> None:
    values = [float(i) for i in range(len(GRID))]
    assert quantile(values, 0.0) == 0.0 and quantile(values, 1.0) == len(GRID) - 1
    assert quantile(values, 0.505) == pytest.approx(50.5)
    assert quantile([], 0.5) is None and quantile([None] * len(GRID), 0.5) is None


def test_grain_is_the_largest_unit_nearly_all_timestamps_are_whole_in() -> None:
    assert grain_of(100, {"days": 100, "hours": 100, "minutes": 100}) == DAY
    assert grain_of(100, {"days": 3, "hours": 100, "minutes": 100}) == HOUR
    assert grain_of(100, {"days": 0, "hours": 5, "minutes": 10}) == 1
    assert grain_of(0, {}) == 1


def test_gaps_are_whole_grains_and_at_least_one() -> None:
    cal = Calibration(as_of=0, window_s=0, grain_s=DAY,
                      gap_q=[float(7 * DAY)] * len(GRID))
    d = Derive("hop_s", "gaps", "hop_gaps")
    assert derive_value(d, 0.5, cal) == 4 * DAY  # 3.5 days, rounded up to whole days
    assert derive_value(d, 0.001, cal) == DAY  # an hour-scale ratio is still one day
    assert derive_value(Derive("k", "senders_q", "q"), 0.5,
                        Calibration(as_of=0, window_s=0, senders_q=[0.0] * len(GRID))) == 1


def test_parse_derive_rejects_unknown_functions() -> None:
    assert parse_derive("min_amount amount_q min_amount_q").function == "amount_q"
    with pytest.raises(CatalogError, match="unknown function"):
        parse_derive("min_amount median min_amount_q")
    with pytest.raises(CatalogError, match="TARGET FUNCTION SOURCE"):
        parse_derive("min_amount amount_q")


@pytest.mark.parametrize(("amount", "unit"), [(1.0, HOUR), (1000.0, DAY)])
def test_calibrate_measures_the_window(graph: Driver, db: str, amount: float,
                                       unit: int) -> None:
    w = World(amount=amount, unit=unit)
    w.background(n=20, per_account=5)
    w.g.commit(graph, db)
    cal = calibrate(graph, db, as_of=w.as_of, window_s=w.window_s)
    rows = w.g.rows["transfers"]
    assert cal.transfers == len(rows) and cal.accounts == 20 and cal.grain_s == unit
    assert cal.amount_q[0] == min(r["amount"] for r in rows)
    assert cal.amount_q[-1] == max(r["amount"] for r in rows)
    # Each account sends 5 transfers; senders and receivers are distinct counterparties.
    assert cal.transfers_q[0] >= 5 and quantile(cal.receivers_q, 1.0) <= 5
    assert 0 < cal.typical_gap_s < 300 * unit
    empty = calibrate(graph, db, as_of=w.ts(-1000), window_s=unit)
    assert empty.transfers == 0 and quantile(empty.amount_q, 0.5) is None
    assert empty.typical_gap_s == empty.grain_s

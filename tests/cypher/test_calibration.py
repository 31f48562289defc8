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
from cypher.catalog import parse_cypher_file
from cypher.errors import CatalogError
from cypher.heuristics import IMPLICIT, Heuristic, _check, apply_derived
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


_HEAD = ("// @name h\n// @severity low\n// @entity account\n"
         "// @param min_amount float {target} -- override\n"
         "// @param min_amount_q float = 0.5 range 0..1 -- quantile\n"
         "// @param span_s int range 1.. -- override\n"
         "// @param span_gaps float = 1 -- gaps\n"
         "// @derive min_amount amount_q min_amount_q\n// @derive span_s gaps span_gaps\n"
         "MATCH (a:Account) WHERE a.x >= $min_amount AND a.y <= $span_s\n"
         "RETURN 'account' AS entity_kind, a.id AS entity_id, 1.0 AS score, [] AS evidence")


def _heuristic(target: str = "range 0..") -> Heuristic:
    return _check(Heuristic(parse_cypher_file(_HEAD.format(target=target), "h.cypher",
                                              implicit=IMPLICIT)))


def test_apply_derived_fills_from_the_data_unless_overridden() -> None:
    h = _heuristic()
    cal = Calibration(as_of=0, window_s=0, grain_s=HOUR,
                      amount_q=[float(i) for i in range(len(GRID))],
                      gap_q=[2.5 * HOUR] * len(GRID))
    params = h.params.validate({})
    out, how = apply_derived(h, params, cal)
    assert out["min_amount"] == pytest.approx(50.0) and out["span_s"] == 3 * HOUR
    assert how["span_s"] == {"from": "gaps(span_gaps=1)", "value": 3 * HOUR}
    out, how = apply_derived(h, {**params, "min_amount": 7.0}, cal)
    assert out["min_amount"] == 7.0 and how["min_amount"] == {"override": 7.0}


def test_a_derived_threshold_must_be_an_override_without_default() -> None:
    with pytest.raises(CatalogError, match="must have no default"):
        _heuristic("= 5 range 0..")

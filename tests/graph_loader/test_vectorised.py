"""The vectorised shaping of transfers against the per-row shaper: for any mix of
canonical, unusual and invalid field values, the same shaped row or the same rejection
(field and reason). Pure: no server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fraudgraph.pseudonym import Pseudonymiser
from graph_loader import feeds
from graph_loader.feeds import FEEDS_BY_NAME, RowRejected, ShapeContext, Shaped
from graph_loader.vectorised import shape_many
from tests.graph_loader.conftest import IBANS

NOW = datetime(2026, 3, 10, tzinfo=UTC)

IDS = ["t1", "tx-9.a:b_c", " t2", "t 3", "", None, "т4", "a" * 128, "a" * 129, "-x",
       "t\udce9"]
SIDES = [IBANS[0], IBANS[1], IBANS[5], "4111111111111111", "4111111111111112",
         "DE89370400440532013000", "wallet:QIWI:u1", "KZ00BAD", "", None,
         IBANS[0].lower(), f" {IBANS[1]} "]
AMOUNTS = ["150000", "0.01", "0", "0.00", "5000.50", "12.345", "1e3", "-5", "100000000000",
           "100000000000.01", "999999999999", " 7", "", None, "abc", 250, 12.5, "007"]
TIMES = ["2026-03-04T10:00:00+05:00", "2026-03-04T10:00:00Z", "2026-03-04T10:00:00z",
         "2026-03-04t10:00:00+05:00", "2026-03-04 10:00:00+05:00", "2026-02-30T10:00:00+05:00",
         "2026-03-04T10:00:00+14:00", "2026-03-04T10:00:00+14:01", "2026-03-04T10:00:00-12:00",
         "2026-03-04T10:00:00+05:60", "2026-03-04T10:00:00", "1989-12-31T23:59:59Z",
         "1990-01-01T00:00:00+05:00", "1990-01-01T05:00:00+05:00", "2026-03-11T00:00:00Z",
         "2026-03-11T00:00:01Z", "2026-03-12T00:00:00Z", "2026-03-04T24:00:00+05:00",
         "2026-03-04T10:00:00.5+05:00", "2026-03-04T10:00+05:00", "", None, "0000-01-01T00:00:00Z",
         "99999-03-04T10:00:00+05:00"]
CHANNELS = ["app", "APP", "qr", "ussd", "sms", "", None, "\udce9"]
FLAGS = ["true", "false", "TRUE", "1", "no", "maybe", "", None, True]


def _context() -> ShapeContext:
    pseudo = Pseudonymiser("k")
    known = {pseudo("account", i) for i in IBANS[:5]}
    return ShapeContext(now=NOW, pseudo=pseudo, account_known=lambda a: a in known)


def _outcome(result: Shaped | RowRejected) -> Any:
    if isinstance(result, RowRejected):
        return ("rejected", result.field, result.reason)
    return ("shaped", result.key, result.row)


def _both(feed: str, raws: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """The outcomes of the vectorised pass and of the per-row shaper, row by row."""
    fast = shape_many(FEEDS_BY_NAME[feed], raws, _context())
    ctx = _context()
    slow: list[Shaped | RowRejected] = []
    for raw in raws:
        try:
            slow.append(FEEDS_BY_NAME[feed].shape(raw, ctx))
        except RowRejected as e:
            slow.append(e)
    return [_outcome(r) for r in fast], [_outcome(r) for r in slow]


def _forbid_per_row(monkeypatch: pytest.MonkeyPatch, feed: str) -> None:
    """The vectorised pass's fallback for `feed` fails the test if it is ever called."""
    def per_row(raw: dict[str, Any], ctx: ShapeContext) -> Shaped:
        raise AssertionError(f"per-row shaper called for {raw}")

    monkeypatch.setattr(feeds, feed, per_row)


rows = st.lists(st.fixed_dictionaries({
    "tx_id": st.sampled_from(IDS), "from_iban": st.sampled_from(SIDES),
    "to_iban": st.sampled_from(SIDES), "amount_kzt": st.sampled_from(AMOUNTS),
    "at": st.sampled_from(TIMES), "channel": st.sampled_from(CHANNELS),
    "interbank": st.sampled_from(FLAGS)}), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(rows)
def test_vectorised_transfers_shape_as_the_per_row_shaper(raws: list[dict[str, Any]]) -> None:
    fast, slow = _both("transfers", raws)
    assert fast == slow


def test_canonical_rows_take_the_fast_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The canonical forms, which real feeds mostly send, never reach the per-row
    shaper: were the fast pass to send every row there, the comparison above would pass
    on the per-row path alone."""
    _forbid_per_row(monkeypatch, "transfers")
    raws = [{"tx_id": f"t{i}", "from_iban": IBANS[0], "to_iban": IBANS[1],
             "amount_kzt": "150000.5", "at": t, "channel": "app", "interbank": "true"}
            for i, t in enumerate(["2026-03-04T10:00:00+05:00", "2026-03-04T10:00:00Z",
                                   "2026-03-04T10:00:00-03:30"])]
    out = shape_many(FEEDS_BY_NAME["transfers"], raws, _context())
    assert [r.row["ts"] for r in out if isinstance(r, Shaped)] == [
        1772600400, 1772618400, 1772631000]
    assert all(isinstance(r, Shaped) and r.row["amount"] == 150000.5 for r in out)


CALL_PHONES = ["+7 701 000 00 01", "87010000001", "+7 705 000 00 02", "+86 10 1234 5678",
               "+8 701 000 00 01", "12345", "", None, "+7 7O1 000 00 01"]
DURATIONS = ["120", "0", "86400", "86401", "007", "-1", "+5", " 5", "1.5", "", None, 30,
             "9" * 30, "0" * 12 + "5"]

calls = st.lists(st.fixed_dictionaries({
    "call_id": st.sampled_from(IDS), "caller": st.sampled_from(CALL_PHONES),
    "callee": st.sampled_from(CALL_PHONES), "at": st.sampled_from(TIMES),
    "duration_s": st.sampled_from(DURATIONS)}), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(calls)
def test_vectorised_calls_shape_as_the_per_row_shaper(raws: list[dict[str, Any]]) -> None:
    fast, slow = _both("calls", raws)
    assert fast == slow


def test_canonical_calls_take_the_fast_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_per_row(monkeypatch, "calls")
    raws = [{"call_id": "c1", "caller": "+86 10 1234 5678", "callee": "+7 701 000 00 01",
             "at": "2026-03-04T10:00:00+05:00", "duration_s": "120"}]
    [out] = shape_many(FEEDS_BY_NAME["calls"], raws, _context())
    assert isinstance(out, Shaped)
    assert out.row["caller_foreign"] is True and out.row["callee_foreign"] is False
    assert out.row["duration_s"] == 120 and out.row["ts"] == 1772600400


TRANSFER = {"tx_id": "t1", "from_iban": IBANS[0], "to_iban": IBANS[1], "amount_kzt": "150000",
            "at": "2026-03-04T10:00:00+05:00", "channel": "app", "interbank": "true"}
CALL = {"call_id": "c1", "caller": "+7 701 000 00 01", "callee": "+7 705 000 00 02",
        "at": "2026-03-04T10:00:00+05:00", "duration_s": "120"}
VARIANTS = {"tx_id": IDS, "call_id": IDS, "from_iban": SIDES, "to_iban": SIDES,
            "amount_kzt": AMOUNTS, "at": TIMES, "channel": CHANNELS, "interbank": FLAGS,
            "caller": CALL_PHONES, "callee": CALL_PHONES, "duration_s": DURATIONS}


@pytest.mark.parametrize(("feed", "base"), [("transfers", TRANSFER), ("calls", CALL)])
def test_each_variant_of_each_field_in_an_otherwise_valid_row(
        feed: str, base: dict[str, Any]) -> None:
    """Every listed value of every field, the rest of the row valid: random mixes above
    seldom put a boundary value (86401 s, +14:01) in a row that is otherwise accepted."""
    raws = [{**base, name: v} for name in base for v in VARIANTS[name]]
    fast, slow = _both(feed, raws)
    assert fast == slow

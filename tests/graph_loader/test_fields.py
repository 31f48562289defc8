"""Pure field and row validation, without a server; hypothesis fuzzes the row shaping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fraudgraph.pseudonym import Pseudonymiser, is_pseudonym
from graph_loader import fields as F
from graph_loader.errors import FieldError
from graph_loader.feeds import FEEDS, RowRejected, ShapeContext
from tests.graph_loader.conftest import IBANS, kz_iban

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CTX = ShapeContext(now=NOW, pseudo=Pseudonymiser("k"))


@pytest.mark.parametrize("raw", ["+7 701 123 45 67", "87011234567", "7701-123-45-67"])
def test_phone_normalised(raw: str) -> None:
    assert F.phone(raw) == "77011234567"


@pytest.mark.parametrize("raw,reason", [
    ("", "missing"), ("KZ00", "IBAN"), (kz_iban("125", 1)[:-1] + "9", "check digits"),
])
def test_iban_rejections(raw: str, reason: str) -> None:
    with pytest.raises(FieldError, match=reason):
        F.iban(raw)


def test_valid_iban_and_iin() -> None:
    assert F.iban(IBANS[0].lower()) == IBANS[0]
    assert F.iin("900101300101") == "900101300101"
    with pytest.raises(FieldError, match="month"):
        F.iin("901301300101")


@pytest.mark.parametrize("raw,reason", [
    ("0", "positive"), ("-1", "positive"), ("NaN", "finite"), ("1e12", "exceeds"),
    ("12,5", "not a number"),
])
def test_amount_rejections(raw: str, reason: str) -> None:
    with pytest.raises(FieldError, match=reason):
        F.amount(raw)


def test_timestamps() -> None:
    assert F.timestamp("2026-01-01T00:00:00Z", now=NOW) == 1767225600
    assert F.timestamp("2026-01-01T05:00:00+05:00", now=NOW) == 1767225600
    with pytest.raises(FieldError, match="zone"):
        F.timestamp("2026-01-01T00:00:00", now=NOW)
    with pytest.raises(FieldError, match="future"):
        F.timestamp("2026-07-01T00:00:00Z", now=NOW)


def test_free_text_rules() -> None:
    with pytest.raises(FieldError, match="control"):
        F.free_text("a\x00b")
    with pytest.raises(FieldError, match="longer"):
        F.free_text("x" * 501)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FEEDS), st.data())
def test_any_row_is_shaped_or_rejected_with_a_field(feed, data) -> None:  # type: ignore[no-untyped-def]
    """Whatever arrives, shaping either succeeds with pseudonyms only or names a field."""
    text = st.one_of(st.text(max_size=40), st.sampled_from(IBANS), st.just(""),
                     st.sampled_from(["2026-01-01T00:00:00+05:00", "1", "-1", "true",
                                      "900101300101", "+7 701 123 45 67",
                                      "' OR 1=1 //", "=cmd|' /C calc'!A0", "\x00", "\ud800"]))
    raw = {c: data.draw(text) for c in feed.columns}
    try:
        shaped = feed.shape(raw, CTX)
    except RowRejected as e:
        assert e.field in feed.columns
        assert e.reason
        return
    for k in ("id", "src", "dst", "holder", "account", "device", "phone", "victim", "entity"):
        v = shaped.row.get(k)
        if isinstance(v, str) and k != "id":
            assert is_pseudonym(v), (k, v)

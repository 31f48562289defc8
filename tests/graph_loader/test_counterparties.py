"""Counterparties outside the participants (cards, e-wallets, foreign and non-participant
IBANs) and phones outside the +7 zone: parsed, pseudonymised as accounts and phones, and
marked, never rejected for being unknown."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fraudgraph.pseudonym import Pseudonymiser
from graph_loader import fields as F
from graph_loader.errors import FieldError
from graph_loader.feeds import RowRejected, ShapeContext, calls, incidents, transfers
from tests.graph_loader.conftest import IBANS, kz_iban

NOW = datetime(2026, 6, 1, tzinfo=UTC)
P = Pseudonymiser("k")
CARD = "4111 1111 1111 1111"  # passes Luhn
GB_IBAN = "GB82 WEST 1234 5698 7654 32"  # the standard's own example
UNKNOWN_KZ = kz_iban("999", 3)


def _ctx(known: set[str]) -> ShapeContext:
    ids = {P("account", i) for i in known}
    return ShapeContext(now=NOW, pseudo=P, account_known=lambda a: a in ids)


@pytest.mark.parametrize("raw,canonical,kind", [
    (IBANS[0], IBANS[0], "iban"),
    (CARD, "4111111111111111", "card"),
    ("4111-1111-1111-1111", "4111111111111111", "card"),
    (GB_IBAN, "GB82WEST12345698765432", "foreign_iban"),
    ("wallet:kaspi_gold:user.77@x", "wallet:KASPI_GOLD:user.77@x", "wallet"),
])
def test_counterparty_kinds(raw: str, canonical: str, kind: str) -> None:
    assert F.counterparty(raw) == (canonical, kind)


@pytest.mark.parametrize("raw,reason", [
    ("4111 1111 1111 1112", "Luhn"),
    ("GB00 WEST 1234 5698 7654 32", "check digits"),
    ("KZ00BAD", "IBAN"),
    ("wallet:K:abc", "wallet:<PROVIDER>"),
    ("wallet:KASPI:a b", "wallet:<PROVIDER>"),
    ("12345", "card number"),
    ("４１１１１１１１１１１１１１１１", "card number"),  # fullwidth digits are no digits
    ("", "missing"),
])
def test_counterparty_rejections(raw: str, reason: str) -> None:
    with pytest.raises(FieldError, match=reason):
        F.counterparty(raw)


def _tx(src: str, dst: str) -> dict[str, str]:
    return {"tx_id": "t1", "from_iban": src, "to_iban": dst, "amount_kzt": "1000",
            "at": "2026-05-01T10:00:00+05:00", "channel": "app", "interbank": "true"}


def test_transfer_to_outside_the_participants_is_kept_and_marked() -> None:
    ctx = _ctx({IBANS[0]})
    for dst, kind in ((CARD, "card"), (GB_IBAN, "foreign_iban"), (UNKNOWN_KZ, "iban"),
                      ("wallet:QIWI:79161234567", "wallet")):
        row = transfers(_tx(IBANS[0], dst), ctx).row
        assert (row["src_ext"], row["dst_ext"]) == (None, kind)
        assert row["dst"].startswith("acc_") and dst not in str(row)
    # The same card written two ways is one counterparty, and free text quoting it gets
    # the same pseudonym (pseudonym.scrub_text reads 13-19 digits as a card).
    a = transfers(_tx(IBANS[0], CARD), ctx).row["dst"]
    b = transfers(_tx(IBANS[0], CARD.replace(" ", "-")), ctx).row["dst"]
    assert a == b == P("account", "4111111111111111")
    # Money coming in from outside is kept too.
    row = transfers(_tx(GB_IBAN, IBANS[0]), ctx).row
    assert (row["src_ext"], row["dst_ext"]) == ("foreign_iban", None)


def test_transfer_between_participants_has_no_external_side() -> None:
    row = transfers(_tx(IBANS[0], IBANS[1]), _ctx({IBANS[0], IBANS[1]})).row
    assert (row["src_ext"], row["dst_ext"]) == (None, None)


def test_a_bad_counterparty_names_its_field() -> None:
    with pytest.raises(RowRejected) as e:
        transfers(_tx(IBANS[0], "4111 1111 1111 1112"), _ctx({IBANS[0]}))
    assert e.value.field == "to_iban" and "Luhn" in e.value.reason


def test_incident_beneficiaries_outside_the_participants() -> None:
    raw = {"incident_id": "i1", "reported_at": "2026-05-02T10:00:00+05:00",
           "reporter": "HALYK", "scheme": "phone_fraud", "victim_iban": IBANS[0],
           "amount_kzt": "5000", "beneficiary_ibans": f"{IBANS[1]};{CARD};{UNKNOWN_KZ}",
           "caller_phone": "+44 7911 123456", "occurred_at": ""}
    row = incidents(raw, _ctx({IBANS[0], IBANS[1]})).row
    assert len(row["beneficiaries"]) == 3
    assert sorted(x["kind"] for x in row["externals"]) == ["card", "iban"]
    assert P("account", IBANS[1]) not in {x["id"] for x in row["externals"]}
    assert row["caller"] == P("phone", "+447911123456") and row["caller_foreign"] is True
    # The victim is still a participant's customer: an unknown one is a dangling reference.
    with pytest.raises(RowRejected, match="dangling"):
        incidents({**raw, "victim_iban": UNKNOWN_KZ}, _ctx({IBANS[1]}))


@pytest.mark.parametrize("raw,canonical", [
    ("+44 7911 123456", "+447911123456"),
    ("+81 3 1234 5678", "+81312345678"),  # 11 digits starting with 8: no trunk prefix
    ("+1 (202) 555-0100", "+12025550100"),
])
def test_foreign_phones_keep_their_zone(raw: str, canonical: str) -> None:
    assert F.phone(raw) == canonical and F.is_foreign_phone(canonical)
    # A Japanese number is never the domestic 8-prefixed number with the same digits.
    assert P("phone", canonical) != P("phone", "7" + canonical[2:])


@pytest.mark.parametrize("raw", ["+8 705 000 00 02", "+0 123 456 789", "+1234567",
                                 "+1 234 567 890 123 456"])
def test_phones_that_are_not_e164_or_are_ambiguous(raw: str) -> None:
    with pytest.raises(FieldError, match="phone"):
        F.phone(raw)


def test_calls_mark_foreign_numbers() -> None:
    raw = {"call_id": "c1", "caller": "+44 7911 123456", "callee": "+7 701 123 45 67",
           "at": "2026-05-01T10:00:00+05:00", "duration_s": "60"}
    row = calls(raw, _ctx(set())).row
    assert (row["caller_foreign"], row["callee_foreign"]) == (True, False)

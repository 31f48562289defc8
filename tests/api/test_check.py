"""POST /v1/check against the small world (see world.py for the story)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.world import CHECK_AT, IBAN, PHONE


def check(api: Api, who: str = "halyk", **kw: Any) -> Any:
    """A check by the payer's own bank (the world's payer is a HALYK customer)."""
    body = {"payer_account": IBAN["payer"], "payee_account": IBAN["payee"],
            "amount_kzt": 100_000, "at": CHECK_AT, **kw}
    body = {k: v for k, v in body.items() if v is not None}
    return api.post("/v1/check", who=who, json=body)


def codes(r: Any) -> set[str]:
    return {x["code"] for x in r.json()["reasons"]}


def test_black_listed_payee_is_blocked(api: Api) -> None:
    r = check(api, payee_account=IBAN["mule2"])
    assert r.status_code == 200
    body = r.json()
    assert body["decision"] == "block"
    assert {"PAYEE_BLACKLISTED", "PAYEE_RISK_CRITICAL"} <= codes(r)
    assert body["payee"] == api.pseudo("account", IBAN["mule2"])


def test_a_bank_gets_no_evidence_about_another_banks_payee(api: Api) -> None:
    other = check(api, who="halyk", payee_account=IBAN["mule2"]).json()  # a KASPI payee
    afc = check(api, who="analyst", payee_account=IBAN["mule2"]).json()
    assert other["decision"] == afc["decision"] == "block"
    assert {r["code"] for r in other["reasons"]} == {r["code"] for r in afc["reasons"]}
    assert "le-black-acc" in str(afc) and "le-black-acc" not in str(other)


def test_grey_listed_payee_holder_is_reviewed(api: Api) -> None:
    r = check(api, payee_account=IBAN["grey_holder_acc"])
    assert r.json()["decision"] == "review"
    assert "PAYEE_HOLDER_GREYLISTED" in codes(r)


def test_expired_list_entry_no_longer_blocks(api: Api) -> None:
    r = check(api, payee_account=IBAN["merchant"])
    assert not any(c.endswith("LISTED") for c in codes(r))


def test_usual_payment_from_an_old_device_is_allowed(api: Api) -> None:
    # The payer paid this payee before, uses a device of last year; the SIM swap is more
    # than 48 h before this time, and no interbank money arrived in the 2 h before.
    r = check(api, device_id="dev-old", at="2026-03-12T10:00:00+05:00")
    assert r.json()["decision"] == "allow"
    assert codes(r) == set()


def test_session_signals_are_detected(api: Api) -> None:
    # 22 h after a SIM swap, a device first used 30 min ago, 80k arrived from another
    # bank an hour ago, and the payee is new to the payer.
    r = check(api, payee_account=IBAN["fresh"], device_id="dev-new", amount_kzt=100_000)
    assert {"SIM_CHANGE_RECENT", "NEW_DEVICE", "INBOUND_INTERBANK_BEFORE",
            "FIRST_PAYMENT_TO_PAYEE"} <= codes(r)
    assert r.json()["decision"] == "review"


def test_session_phone_sim_change_and_black_listed_device(api: Api) -> None:
    r = check(api, device_id="dev-bad", phone=PHONE["payer"])
    assert r.json()["decision"] == "block"
    assert {"DEVICE_BLACKLISTED", "SIM_CHANGE_RECENT"} <= codes(r)


def test_pseudonyms_are_accepted_as_well_as_raw_ids(api: Api) -> None:
    raw = check(api, payee_account=IBAN["mule2"]).json()
    pse = check(api, payee_account=api.pseudo("account", IBAN["mule2"]),
                payer_account=api.pseudo("account", IBAN["payer"])).json()
    assert raw == pse


def test_unknown_payee_is_not_an_error(api: Api) -> None:
    from tests.graph_loader.conftest import kz_iban

    r = check(api, payee_account=kz_iban("999", 12345))
    assert r.status_code == 200
    assert "PAYEE_UNKNOWN" in codes(r)


def test_invalid_inputs_are_422_problems_without_echoing_them(api: Api) -> None:
    bad_iban = "KZ00BADIBAN0000000000"
    for kw in ({"payee_account": bad_iban}, {"payer_account": "acc_" + "0" * 31},
               {"payee_account": "pho_" + "0" * 32}, {"amount_kzt": -5}, {"amount_kzt": 0},
               {"payee_account": IBAN["payer"]}, {"at": "2026-03-10T10:00:00"},
               {"at": "2999-01-01T00:00:00Z"}, {"channel": "pigeon"}, {"phone": "12"},
               {"device_id": "tab\there"}, {"device_id": "non-ascii-é"}):
        r = check(api, **kw)
        assert r.status_code == 422, kw
        assert r.headers["content-type"] == "application/problem+json"
        assert bad_iban not in r.text
    r = api.post("/v1/check", who="kaspi", json={"payer_account": IBAN["payer"]})
    assert r.status_code == 422
    assert any(e["field"] == "payee_account" for e in r.json()["errors"])
    r = api.post("/v1/check", who="kaspi", content=b"{not json",
                 headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_every_role_may_check(api: Api) -> None:
    for who in ("halyk", "analyst", "admin"):
        assert check(api, who=who).status_code == 200
    # A bank checks its own customers' payments only (tests/api/test_hostile_bank.py).
    assert check(api, who="kaspi").status_code == 403

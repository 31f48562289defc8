"""POST /v1/incidents and GET /v1/incidents/{id}/trace."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from tests.api.conftest import Api
from tests.api.world import IBAN


def test_trace_follows_the_money_and_finds_holders(api: Api) -> None:
    r = api.get("/v1/incidents/inc-1/trace")
    assert r.status_code == 200
    b = r.json()
    acc = {k: api.pseudo("account", v) for k, v in IBAN.items()}
    assert b["victim"] == acc["victim"]
    assert b["start"] == [{"account": acc["mule1"], "kzt": 150000.0, "ts": b["start"][0]["ts"],
                           "source": "transfer", "at_other_bank": None}]
    hop1 = {e["tx_id"]: e["traced_kzt"] for e in b["hops"][0]["edges"]}
    assert hop1 == {"t2": 100000.0, "t3": 30000.0}
    # t6 (mule2 -> merchant) happened the day before the money arrived: not followed.
    assert all(e["tx_id"] != "t6" for h in b["hops"] for e in h["edges"])
    held = {h["account"]: (h["held_kzt"], h["bank"]) for h in b["holders"]}
    assert held == {acc["mule1"]: (20000.0, "KASPI"), acc["mule2"]: (40000.0, "KASPI"),
                    acc["mule3"]: (40000.0, "FORTE")}
    assert [(c["tx_id"], c["kzt"]) for c in b["cash_outs"]] == [("t5", 30000.0),
                                                                ("t5", 20000.0)]
    t = b["totals"]
    assert t == {"reported_kzt": 150000.0, "start_kzt": 150000.0, "held_kzt": 100000.0,
                 "cashed_out_kzt": 50000.0, "left_kzt": 0.0}
    assert b["exits"] == []
    assert b["truncated"] is False


def test_trace_of_unknown_incident_is_404(api: Api) -> None:
    assert api.get("/v1/incidents/nope/trace").status_code == 404


def report(**kw: Any) -> dict[str, Any]:
    body = {"incident_id": "inc-api-1", "reporter": "KASPI", "scheme": "phone_fraud",
            "victim_iban": IBAN["payee"], "amount_kzt": 40000,
            "beneficiary_ibans": [IBAN["mule3"], IBAN["fresh"]],
            "caller_phone": "+7 705 000 00 02", "occurred_at": "2026-03-11T10:00:00+05:00"}
    body.update(kw)
    return body


def test_report_an_incident_as_a_bank(api: Api) -> None:
    seeds_before = len(api.engine.pending)
    r = api.post("/v1/incidents", who="kaspi", json=report())
    assert r.status_code == 201, r.text
    b = r.json()
    fresh = api.pseudo("account", IBAN["fresh"])
    assert b["beneficiaries"] == sorted([api.pseudo("account", IBAN["mule3"]), fresh])
    assert b["caller"] == api.pseudo("phone", "+77050000002")
    # The engine was told about the new seeds: both beneficiaries are at other banks than
    # KASPI, so they seed at the reduced weight until the AFC confirms the incident.
    assert b["confirmed"] is False and sorted(b["pending_confirmation"]) == b["beneficiaries"]
    assert sorted(api.engine.pending[seeds_before:]) == sorted(
        [("account", x, 0.3) for x in b["beneficiaries"]])
    # The incident is in the graph: the beneficiary's risk shows it, KASPI may trace it.
    risk = api.get(f"/v1/entities/account/{fresh}/risk").json()
    assert any(x["code"] == "INCIDENT_BENEFICIARY" and x["evidence"]["incident"] == "inc-api-1"
               for x in risk["reasons"])
    trace = api.get("/v1/incidents/inc-api-1/trace", who="kaspi").json()
    assert {s["source"] for s in trace["start"]} == {"reported"}
    assert sum(s["kzt"] for s in trace["start"]) == 40000.0
    # The same id again is a conflict; the first report stays.
    again = api.post("/v1/incidents", who="kaspi", json=report(amount_kzt=1))
    assert again.status_code == 409


def test_a_bank_reports_only_as_itself(api: Api) -> None:
    r = api.post("/v1/incidents", who="halyk", json=report(incident_id="inc-api-2"))
    assert r.status_code == 403
    r = api.post("/v1/incidents", who="analyst", json=report(incident_id="inc-api-2"))
    assert r.status_code == 201


def test_reports_are_validated_like_the_feed(api: Api) -> None:
    from tests.graph_loader.conftest import kz_iban

    cases = [
        (report(incident_id="i3", scheme="alien_abduction"), "scheme"),
        (report(incident_id="i3", beneficiary_ibans=["KZ00BAD"]), "beneficiary_ibans"),
        (report(incident_id="i3", beneficiary_ibans=["4111 1111 1111 1112"]),
         "beneficiary_ibans"),
        (report(incident_id="i3", victim_iban=kz_iban("999", 8)), "victim_iban"),
        (report(incident_id="i3", occurred_at="2026-03-11T10:00:00"), "occurred_at"),
        (report(incident_id="i3", reported_at="2999-01-01T00:00:00Z"), "reported_at"),
        (report(incident_id="bad id with spaces"), "incident_id"),
        (report(incident_id="i3", caller_phone="123"), "caller_phone"),
    ]
    for body, field in cases:
        r = api.post("/v1/incidents", who="kaspi", json=body)
        assert r.status_code == 422, (field, r.text)
        assert r.json()["errors"][0]["field"] == field
        assert "KZ00BAD" not in r.text
    assert api.get("/v1/incidents/i3/trace").status_code == 404


def test_a_report_may_name_beneficiaries_outside_the_participants(
        api: Api, neo4j_driver: Driver, db: str) -> None:
    from tests.graph_loader.conftest import kz_iban

    card, nobody = "4111 1111 1111 1111", kz_iban("999", 7)
    r = api.post("/v1/incidents", who="kaspi", json=report(
        incident_id="inc-ext", beneficiary_ibans=[card, nobody]))
    assert r.status_code == 201, r.text
    ids = {api.pseudo("account", "4111111111111111"), api.pseudo("account", nobody)}
    assert set(r.json()["beneficiaries"]) == ids
    # Nobody's customers: they seed at the reduced weight until the AFC confirms.
    assert set(r.json()["pending_confirmation"]) == ids
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (:Incident {id: 'inc-ext'})-[:BENEFICIARY]->(b:External) "
        "RETURN b.external_kind AS kind", database_=db)
    assert sorted(x["kind"] for x in recs) == ["card", "iban"]
    assert "4111" not in r.text

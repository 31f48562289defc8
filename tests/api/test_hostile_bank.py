"""A hostile participant: keys of two banks (KASPI, HALYK) against the small world, one
test per way another bank's evidence used to leak. Each asserts that nothing foreign comes
back: every pseudonym in an answer belongs to the caller's own customers (checked here
with the test's own Cypher, not the API's), and no foreign list entry, incident,
transaction or score appears.

World (world.py): HALYK holds victim, payer, fresh; KASPI holds mule1 (risk 0.7, high),
mule2 (0.9, black-listed le-black-acc), payee; FORTE holds mule3, merchant, cash, ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.config import ApiConfig
from fraudgraph.settings import Settings
from tests.api.conftest import Api
from tests.api.world import CHECK_AT, IBAN, IIN

_PSEUDONYM = re.compile(r"\b(acc|per|pho|dev)_[0-9a-f]{32}\b")
_BANKS = {
    "acc": "MATCH (a:Account {id: $id}) RETURN [a.bank] AS banks",
    "per": "MATCH (p:Person {id: $id}) RETURN [(p)-[:HOLDS]->(a) | a.bank] AS banks",
    "pho": "MATCH (x:Phone {id: $id}) "
           "RETURN [(x)<-[:HAS_PHONE]-(:Person)-[:HOLDS]->(a) | a.bank] AS banks",
    "dev": "MATCH (d:Device {id: $id}) RETURN [(a:Account)-[:USED]->(d) | a.bank] AS banks",
}


def foreign_pseudonyms(text: str, bank: str, driver: Driver, db: str,
                       allowed: set[str] | None = None) -> set[str]:
    """Pseudonyms in `text` of entities that are not `bank`'s customers."""
    out = set()
    for m in _PSEUDONYM.finditer(text):
        pid = m.group(0)
        if allowed and pid in allowed:
            continue
        recs, _, _ = driver.execute_query(_BANKS[m.group(1)], id=pid, database_=db)
        if not recs or bank not in recs[0]["banks"]:
            out.add(pid)
    return out


def acc(api: Api, name: str) -> str:
    return api.pseudo("account", IBAN[name])


@pytest.fixture
def db(settings: Settings) -> str:
    return settings.neo4j_database


# -- the check ---------------------------------------------------------------------------

def _check(api: Api, who: str, **kw: Any) -> Any:
    body = {"payer_account": IBAN["payer"], "payee_account": IBAN["mule1"],
            "amount_kzt": 1000, "at": CHECK_AT, **kw}
    return api.post("/v1/check", who=who, json=body)


def _quiet_check(api: Api, who: str) -> Any:
    """Two days after CHECK_AT: the SIM swap and the inbound transfer are out of their
    windows, so only the payee's risk and the first payment to it make the score."""
    body = {"payer_account": IBAN["payer"], "payee_account": IBAN["mule1"],
            "amount_kzt": 1000, "at": "2026-03-12T10:00:00+05:00"}
    return api.post("/v1/check", who=who, json=body)


def test_check_score_cannot_be_solved_for_a_foreign_payees_risk(
        api: Api, neo4j_driver: Driver, db: str) -> None:
    # HALYK's own payer pays KASPI's mule1 (risk 0.7, band high). Moving mule1's hidden
    # risk inside its band must not move the score HALYK sees; the AFC's score moves.
    q = "MATCH (a:Account {id: $id}) SET a.risk = $risk"
    try:
        seen = []
        for risk in (0.62, 0.7, 0.78):
            neo4j_driver.execute_query(q, id=acc(api, "mule1"), risk=risk, database_=db)
            bank = _quiet_check(api, "halyk").json()
            afc = _quiet_check(api, "analyst").json()
            assert bank["decision"] == afc["decision"] == "review"
            seen.append((bank["score"], afc["score"]))
        assert len({b for b, _ in seen}) == 1, seen
        assert len({a for _, a in seen}) == 3, seen
        # ...and equals the score of the band's floor (0.6): the band is all it tells.
        neo4j_driver.execute_query(q, id=acc(api, "mule1"), risk=0.6, database_=db)
        assert _quiet_check(api, "analyst").json()["score"] == seen[0][0]
    finally:
        neo4j_driver.execute_query(q, id=acc(api, "mule1"), risk=0.7, database_=db)
    text = _check(api, "halyk").text
    assert "0.70" not in text and "0.7 " not in text
    assert not foreign_pseudonyms(text, "HALYK", neo4j_driver, db,
                                  allowed={acc(api, "mule1")})  # the payee it named


def test_check_refuses_a_payer_at_another_bank(api: Api, neo4j_driver: Driver,
                                               db: str) -> None:
    # KASPI names HALYK's payer: no risk, no list entries, no payment or device facts.
    for kw in ({}, {"payee_account": IBAN["payee"], "device_id": "dev-new"},
               {"payer_account": IBAN["victim"], "payee_account": IBAN["mule2"]}):
        r = _check(api, "kaspi", **kw)
        assert r.status_code == 403, r.text
        text = r.text
        for leak in ("risk", "FIRST_PAYMENT", "NEW_DEVICE", "le-", "INBOUND", "SIM_"):
            assert leak not in text, (leak, text)
    # The same payer by its own bank is checked as usual.
    assert _check(api, "halyk", payee_account=IBAN["payee"]).status_code == 200


def test_check_about_a_foreign_payee_names_no_list_entry(api: Api) -> None:
    r = _check(api, "halyk", payee_account=IBAN["mule2"])
    assert r.json()["decision"] == "block"
    assert "le-black-acc" not in r.text and "0.90" not in r.text


# -- risk cards --------------------------------------------------------------------------

def test_own_risk_card_shows_foreign_evidence_as_another_banks_account(
        api: Api, neo4j_driver: Driver, db: str) -> None:
    # HALYK's victim paid KASPI's mule1 (a beneficiary), which paid the black-listed
    # mule2: both are KASPI's customers.
    r = api.risk("account", IBAN["victim"], who="halyk")
    assert r.status_code == 200
    body = r.json()
    assert body["restricted"] is False
    assert not foreign_pseudonyms(r.text, "HALYK", neo4j_driver, db)
    assert "le-black-acc" not in r.text
    foreign = [x for x in body["reasons"] if x["code"] == "LINKED_TO_RISK_AT_OTHER_BANK"]
    assert foreign, body["reasons"]
    ends = [x["path"]["nodes"][-1] for x in foreign]
    assert all(n["id"] is None and n["at_other_bank"] for n in ends)
    assert {n["band"] for n in ends} >= {"high"}
    # The AFC sees the same card with the names.
    full = api.risk("account", IBAN["victim"]).text
    assert acc(api, "mule1") in full and "le-black-acc" in full


def test_a_person_is_own_when_they_hold_an_own_account(api: Api, neo4j_driver: Driver,
                                                       db: str) -> None:
    # p1 holds KASPI's mule1 only.
    assert api.risk("person", IIN["p1"], who="halyk").json()["restricted"] is True
    r = api.risk("person", IIN["p1"], who="kaspi")
    assert r.json()["restricted"] is False
    assert not foreign_pseudonyms(r.text, "KASPI", neo4j_driver, db)


def test_a_foreign_account_gives_the_band_only(api: Api) -> None:
    b = api.risk("account", IBAN["mule2"], who="halyk").json()
    assert b["restricted"] is True and b["band"] == "critical"
    assert b.get("risk") is None and not b.get("reasons") and not b.get("paths")


# -- incidents and traces ----------------------------------------------------------------

def _incident(iid: str, **kw: Any) -> dict[str, Any]:
    return {"incident_id": iid, "reporter": "KASPI", "scheme": "phone_fraud",
            "victim_iban": IBAN["payee"], "amount_kzt": 1000,
            "beneficiary_ibans": [IBAN["mule2"]], **kw}


def test_a_bank_reports_only_for_its_own_victim(api: Api) -> None:
    r = api.post("/v1/incidents", who="kaspi",
                 json=_incident("hostile-1", victim_iban=IBAN["victim"],
                                beneficiary_ibans=[IBAN["fresh"]]))
    assert r.status_code == 403
    assert api.get("/v1/incidents/hostile-1/trace").status_code == 404  # nothing written


def test_foreign_beneficiaries_seed_reduced_until_confirmed_and_retraction_withdraws(
        api: Api) -> None:
    fresh = acc(api, "fresh")  # HALYK's customer, named by KASPI
    before = len(api.engine.pending)
    r = api.post("/v1/incidents", who="kaspi",
                 json=_incident("hostile-2", beneficiary_ibans=[IBAN["fresh"]]))
    assert r.status_code == 201, r.text
    assert r.json()["pending_confirmation"] == [fresh]
    assert api.engine.pending[before:] == [("account", fresh, 0.3)]
    # KASPI cannot confirm its own report; the AFC can.
    assert api.post("/v1/incidents/hostile-2/confirm", who="kaspi").status_code == 403
    r = api.post("/v1/incidents/hostile-2/confirm", who="analyst")
    assert r.status_code == 200 and r.json()["seeds"] == [fresh]
    assert api.engine.pending[-1] == ("account", fresh, 1.0)
    card = api.risk("account", IBAN["fresh"]).json()
    assert any(x.get("evidence", {}) and x["evidence"].get("incident") == "hostile-2"
               for x in card["reasons"])
    # HALYK may not retract KASPI's report; KASPI may, and the evidence is gone.
    reason = {"reason": "reported by mistake"}
    assert api.post("/v1/incidents/hostile-2/retract", who="halyk",
                    json=reason).status_code == 403
    r = api.post("/v1/incidents/hostile-2/retract", who="kaspi", json=reason)
    assert r.status_code == 200 and r.json()["retracted"] is True
    assert api.engine.pending[-1] == ("account", fresh, 0.0)
    card = api.risk("account", IBAN["fresh"]).json()
    assert not any((x.get("evidence") or {}).get("incident") == "hostile-2"
                   for x in card["reasons"])
    assert api.post("/v1/incidents/hostile-2/retract", who="kaspi",
                    json=reason).status_code == 404


def test_trace_shows_foreign_hops_as_another_bank_with_amount_and_time(
        api: Api, neo4j_driver: Driver, db: str) -> None:
    # HALYK reported inc-1 for its victim; the money went to KASPI's mule1 (named in
    # the report), then on to KASPI's mule2 and FORTE's mule3 and cash.
    r = api.get("/v1/incidents/inc-1/trace", who="halyk")
    assert r.status_code == 200
    b = r.json()
    assert not foreign_pseudonyms(r.text, "HALYK", neo4j_driver, db,
                                  allowed={acc(api, "mule1")})
    for tx in ("t2", "t3", "t4", "t5"):
        assert f'"{tx}"' not in r.text
    edges = [e for h in b["hops"] for e in h["edges"]]
    assert edges and all(e["at_other_bank"] and e["tx_id"] is None and e["channel"] is None
                         for e in edges)
    assert all(e["amount_kzt"] > 0 and e["ts"] > 0 for e in edges)
    assert b["totals"]["start_kzt"] == 150000.0  # the victim's money is the victim's
    foreign = [h for h in b["holders"] if h["at_other_bank"]]
    assert foreign and all(h["account"] is None and h["bank"] is None for h in foreign)
    # The AFC's trace of the same incident names them.
    assert acc(api, "mule2") in api.get("/v1/incidents/inc-1/trace").text


# -- AFC-only reads ----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/v1/clusters", "/v1/clusters/cl-1", "/v1/schemes/emerging",
                                 "/v1/queries", "/v1/lists/black"])
def test_clusters_named_queries_and_lists_are_closed_to_banks(api: Api, url: str) -> None:
    r = api.get(url, who="kaspi")
    assert r.status_code == 403 and "acc_" not in r.text


def test_named_query_is_closed_to_banks(api: Api) -> None:
    r = api.post("/v1/queries/timeline", who="halyk",
                 json={"params": {"id": IBAN["mule2"]}})
    assert r.status_code == 403 and "acc_" not in r.text


# -- the pseudonym oracle ----------------------------------------------------------------

def test_raw_identifier_in_an_address_is_refused_without_its_pseudonym(api: Api) -> None:
    for url in (f"/v1/entities/person/{IIN['p1']}/risk",
                f"/v1/entities/account/{IBAN['mule1']}/risk"):
        r = api.get(url, who="halyk")
        assert r.status_code == 422
        assert not _PSEUDONYM.search(r.text)


def test_unknown_raw_identifier_is_404_without_its_pseudonym(api: Api) -> None:
    r = api.risk("person", "010101300999", who="halyk")
    assert r.status_code == 404 and not _PSEUDONYM.search(r.text)


@pytest.fixture
def tight(api: Api, settings: Settings, tmp_path: Any) -> Iterator[TestClient]:
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path, rate_lookup_per_s=0.5,
                                                rate_lookup_burst=3))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_identifier_lookup_is_rate_limited(api: Api, tight: TestClient) -> None:
    h = api.keys.h("halyk")
    codes = [tight.post("/v1/entities/lookup", headers=h,
                        json={"kind": "person", "id": f"0101013009{i:02d}"}).status_code
             for i in range(6)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429, 429]
    r = tight.post("/v1/entities/lookup", headers=h, json={"kind": "person", "id": IIN["p1"]})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.headers["content-type"] == "application/problem+json"
    # Another key has its own bucket; the check is not limited by lookups.
    assert tight.post("/v1/entities/lookup", headers=api.keys.h("kaspi"),
                      json={"kind": "person", "id": IIN["p1"]}).status_code == 200


# -- screening and re-identification -----------------------------------------------------

def test_screening_a_foreign_person_gives_decision_and_codes_only(
        api: Api, neo4j_driver: Driver, db: str) -> None:
    # p2 holds KASPI's black-listed mule2 and FORTE's mule3: HALYK is onboarding them.
    r = api.post("/v1/screen", who="halyk",
                 json={"kind": "person", "id": IIN["p2"], "purpose": "onboarding"})
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["decision"] == "block" and b["restricted"] is True
    assert "HOLDS_BLACKLISTED" in {x["code"] for x in b["reasons"]}
    assert "le-black-acc" not in r.text and not _PSEUDONYM.search(r.text)
    assert not re.search(r"0\.\d\d", r.text)
    full = api.post("/v1/screen", who="analyst",
                    json={"kind": "person", "id": IIN["p2"], "purpose": "credit"})
    assert "le-black-acc" in full.text
    clean = api.post("/v1/screen", who="halyk",
                     json={"kind": "person", "id": "010101300999", "purpose": "sim_issuance"})
    assert clean.json()["decision"] == "allow"
    assert [x["code"] for x in clean.json()["reasons"]] == ["NO_RECORD"]


def test_reidentification_is_for_admins_with_a_purpose(api: Api) -> None:
    per = api.pseudo("person", IIN["p2"])
    body = {"kind": "person", "pseudonym": per, "candidates": [IIN["p1"], IIN["p2"]],
            "purpose": "law_enforcement_request", "case_ref": "GP-2026/17"}
    for who in ("halyk", "analyst"):
        assert api.post("/v1/reidentify", who=who, json=body).status_code == 403
    r = api.post("/v1/reidentify", who="admin", json=body)
    assert r.status_code == 200 and r.json()["matched"] is True
    assert r.json()["candidate_index"] == 1
    assert IIN["p2"] not in r.text
    no_purpose = {k: v for k, v in body.items() if k != "purpose"}
    assert api.post("/v1/reidentify", who="admin", json=no_purpose).status_code == 422

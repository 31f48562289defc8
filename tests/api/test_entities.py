"""GET /v1/entities/{kind}/{id}/risk."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiConfig
from fraudgraph.settings import Settings
from tests.api.conftest import Api
from tests.api.world import IBAN, IIN, PHONE


def codes(body: dict[str, Any]) -> list[str]:
    return [r["code"] for r in body["reasons"]]


def test_account_with_stored_risk_and_reasons_with_paths(api: Api) -> None:
    r = api.risk("account", IBAN['mule1'])
    assert r.status_code == 200
    b = r.json()
    assert b["id"] == api.pseudo("account", IBAN["mule1"])
    assert (b["risk"], b["band"], b["bank"]) == (0.7, "high", "KASPI")
    assert (b["prop_score"], b["gnn_score"]) == (0.5, 0.8)
    assert b["risk_updated_at"].startswith("2026-03-06")
    assert "INCIDENT_BENEFICIARY" in codes(b)
    # mule1 sent money straight to the black-listed mule2: a one-hop path.
    mule2 = api.pseudo("account", IBAN["mule2"])
    linked = [x for x in b["reasons"] if x["code"] == "LINKED_TO_BLACKLISTED"
              and x["path"]["nodes"][-1]["id"] == mule2 and len(x["path"]["rels"]) == 1]
    assert linked and linked[0]["path"]["rels"] == ["-[:TRANSFERRED]->"]
    assert linked[0]["path"]["nodes"][0]["id"] == b["id"]


def test_only_the_latest_detect_runs_signals_count(api: Api) -> None:
    b = api.risk("account", IBAN['mule3']).json()
    heur = [x for x in b["reasons"] if x["code"].startswith("HEURISTIC_")]
    assert [x["code"] for x in heur] == ["HEURISTIC_FAST_PASS_THROUGH"]
    assert heur[0]["evidence"] == {"tx": ["t4", "t5"]}
    assert heur[0]["score"] == 0.8


def test_black_listed_account_itself(api: Api) -> None:
    b = api.risk("account", IBAN['mule2']).json()
    assert b["band"] == "critical"
    assert codes(b)[0] == "BLACKLISTED"


def test_other_kinds_raw_or_pseudonym(api: Api) -> None:
    person = api.risk("person", IIN['p5']).json()
    assert "GREYLISTED" in codes(person)
    phone = api.risk("phone", PHONE['caller']).json()
    assert "INCIDENT_CALLER" in codes(phone)
    dev = api.pseudo("device", "dev-bad")
    device = api.risk("device", dev).json()
    assert device["id"] == dev and "BLACKLISTED" in codes(device)
    # An entity without stored risk still answers; band and risk unknown.
    assert device["risk"] is None and device["band"] is None


def test_unknown_entity_is_404_and_bad_ids_are_422(api: Api) -> None:
    from tests.graph_loader.conftest import kz_iban

    r = api.risk("account", kz_iban('999', 1))
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert api.risk("account", "KZ00NOTANIBAN").status_code == 422
    assert api.risk("phone", api.pseudo('account', IBAN['mule1'])).status_code == 422
    assert api.risk("planet", "earth").status_code == 422
    assert api.get(f"/v1/entities/phone/{api.pseudo('account', IBAN['mule1'])}/risk"
                   ).status_code == 422
    assert api.get("/v1/entities/planet/earth/risk").status_code == 422


def test_raw_identifiers_never_travel_in_an_address(api: Api) -> None:
    # The address form takes pseudonyms only; a raw IIN there is refused, not looked up.
    r = api.get(f"/v1/entities/person/{IIN['p5']}/risk")
    assert r.status_code == 422 and "lookup" in r.json()["detail"]
    assert IIN["p5"] not in r.text
    per = api.pseudo("person", IIN["p5"])
    assert api.get(f"/v1/entities/person/{per}/risk").json()["id"] == per
    # A raw identifier that is not in the graph: 404 without its pseudonym.
    r = api.risk("person", "990101300999")
    assert r.status_code == 404 and "per_" not in r.text


class FakeEngine:
    name = "fake-propagation"

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, int]] = []

    def explain(self, kind: str, entity_id: str, *, top: int = 5) -> dict[str, Any] | None:
        self.asked.append((kind, entity_id, top))
        return {"risk": 0.95, "band": "critical",
                "paths": [{"nodes": [{"kind": kind, "id": entity_id},
                                     {"kind": "account", "id": "acc_seed"}],
                           "rels": ["-[:TRANSFERRED]->"], "weight": 0.8}],
                "top_seeds": [{"kind": "account", "id": "acc_seed", "contribution": 0.8}]}

    def on_new_seeds(self, seeds: list[tuple[str, str, float]]) -> int:
        return len(seeds)

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "loaded": True}


def test_a_plugged_in_engine_adds_paths_and_seeds(world: object, settings: Settings,
                                                 api: Api, tmp_path: Any) -> None:
    engine = FakeEngine()
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path), engine=engine)
    with TestClient(app) as client:
        b = client.post("/v1/entities/lookup", json={"kind": "account", "id": IBAN["mule3"]},
                        headers=api.keys.h("analyst")).json()
        ready = client.get("/ready").json()
    assert engine.asked == [("account", api.pseudo("account", IBAN["mule3"]), 5)]
    assert b["engine"] == "fake-propagation"
    assert (b["risk"], b["band"]) == (0.95, "critical")
    assert b["top_seeds"] == [{"kind": "account", "id": "acc_seed", "contribution": 0.8,
                               "at_other_bank": None, "band": None}]
    assert b["paths"][0]["weight"] == 0.8
    assert codes(b)  # the graph facts are still there
    assert ready["model"] == {"name": "fake-propagation", "loaded": True}

"""/v1/lists: read, add, soft-delete; the check sees every change at once."""

from __future__ import annotations

import json
from typing import Any

from gnn.propagation.config import DEFAULT_SEED_WEIGHTS
from tests.api.conftest import Api
from tests.api.world import IBAN, IIN

QUIET_AT = "2026-03-12T10:00:00+05:00"  # no session signals for the payer then


def decision(api: Api, payee: str) -> str:
    r = api.post("/v1/check", json={"payer_account": IBAN["payer"], "payee_account": payee,
                                    "amount_kzt": 1000, "at": QUIET_AT})
    return str(r.json()["decision"])


def test_read_active_and_all(api: Api) -> None:
    active = api.get("/v1/lists/black").json()
    assert {e["id"] for e in active["items"]} == {"le-black-acc", "le-black-dev"}
    assert all(e["active"] for e in active["items"])
    everything = api.get("/v1/lists/black?include_inactive=true").json()
    expired = [e for e in everything["items"] if e["id"] == "le-expired"]
    assert expired and expired[0]["active"] is False
    grey = api.get("/v1/lists/grey").json()["items"]
    assert [(e["id"], e["entity"]) for e in grey] == [
        ("le-grey-person", api.pseudo("person", IIN["p5"]))]
    assert api.get("/v1/lists/white").status_code == 422


def test_add_then_remove_an_entry(api: Api) -> None:
    payee = IBAN["payee"]
    seeds = len(api.engine.pending)
    assert decision(api, payee) == "allow"
    r = api.post("/v1/lists/black", who="admin", json={
        "entity_kind": "account", "entity_id": payee, "entry_id": "le-api-1",
        "reason": f"mule reported by police, account {payee}", "source": "POLICE",
        "since": "2026-03-01T00:00:00+05:00"})
    assert r.status_code == 201, r.text
    e = r.json()
    pseudonym = api.pseudo("account", payee)
    assert e["entity"] == pseudonym and e["active"] and e["created_by"].startswith("key_")
    assert payee not in e["reason"] and pseudonym in e["reason"]  # scrubbed like the feed
    assert api.engine.pending[seeds:] == [("account", pseudonym, 1.0)]
    assert decision(api, payee) == "block"
    assert api.post("/v1/lists/black", who="admin", json={
        "entity_kind": "account", "entity_id": payee, "entry_id": "le-api-1",
        "reason": "again"}).status_code == 409

    r = api.delete("/v1/lists/black/le-api-1?reason=court%20order%2017", who="admin")
    assert r.status_code == 200
    assert decision(api, payee) == "allow"
    assert api.engine.pending[-1] == ("account", pseudonym, 0.0)  # seed retracted
    # Soft delete: the entry stays, inactive, with who/when/why.
    everything = api.get("/v1/lists/black?include_inactive=true").json()["items"]
    kept = next(x for x in everything if x["id"] == "le-api-1")
    assert kept["active"] is False and kept["removed_reason"] == "court order 17"
    assert kept["removed_by"] == e["created_by"]
    assert api.delete("/v1/lists/black/le-api-1?reason=x", who="admin").status_code == 404
    assert api.delete("/v1/lists/grey/le-black-acc?reason=x", who="admin").status_code == 404
    assert api.delete("/v1/lists/black/le-black-acc", who="admin").status_code == 422


def test_add_by_pseudonym_with_expiry(api: Api) -> None:
    dev = api.pseudo("device", "dev-old")
    r = api.post("/v1/lists/grey", who="admin", json={
        "entity_kind": "device", "entity_id": dev, "reason": "shared by 3 mules",
        "until": "2030-01-01T00:00:00Z"})
    assert r.status_code == 201
    body = r.json()
    assert body["entity"] == dev and body["id"].startswith("api-") and body["until_ts"]
    assert api.engine.pending[-1] == ("device", dev, DEFAULT_SEED_WEIGHTS["grey"])


def test_list_entries_are_validated_like_the_feed(api: Api) -> None:
    bad: list[dict[str, Any]] = [
        {"entity_kind": "account", "entity_id": "KZ00NOPE", "reason": "x"},
        {"entity_kind": "phone", "entity_id": api.pseudo("account", IBAN["payee"]),
         "reason": "x"},
        {"entity_kind": "phone", "entity_id": "+77011112233", "reason": "x",
         "since": "2026-03-01T00:00:00+05:00", "until": "2026-02-01T00:00:00+05:00"},
        {"entity_kind": "phone", "entity_id": "+77011112233", "reason": "bad\x01text"},
        {"entity_kind": "planet", "entity_id": "earth", "reason": "x"},
        {"entity_kind": "phone", "entity_id": "+77011112233", "reason": "x", "extra": 1},
    ]
    for body in bad:
        r = api.post("/v1/lists/grey", who="admin", json=body)
        assert r.status_code == 422, (body, r.text)
        assert "KZ00NOPE" not in r.text


def test_every_change_is_in_the_audit_trail(api: Api) -> None:
    api.client.app.state.audit.flush()  # type: ignore[attr-defined]
    events = [json.loads(line) for f in sorted(api.audit_dir.glob("audit-*.jsonl"))
              for line in f.read_text().splitlines()]
    changes = [e for e in events if e.get("detail", {}).get("change") in ("add", "remove")]
    assert {(e["method"], e["detail"]["change"], e["status"]) for e in changes} >= {
        ("POST", "add", 201), ("DELETE", "remove", 200)}
    assert all(e["role"] == "admin" and e["key_id"] for e in changes)
    assert all(e["route"].startswith("/v1/lists/{list_name}") for e in changes)
    text = "\n".join(f.read_text() for f in api.audit_dir.glob("audit-*.jsonl"))
    for raw in IBAN.values():
        assert raw not in text  # route templates and pseudonyms only

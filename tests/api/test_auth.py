"""Keys and roles: 401 without a valid key everywhere but /health, /ready and /metrics;
what each role may do."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import Api
from tests.api.world import CHECK_AT, IBAN

_PARAM = re.compile(r"\{[^}]+\}")
_SAMPLE = {"{kind}": "account", "{list_name}": "black"}


def all_operations(api: Api) -> list[tuple[str, str]]:
    ops = []
    for path, item in api.client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        for method in item:
            url = _PARAM.sub(lambda m: _SAMPLE.get(m.group(0), "x1"), path)
            ops.append((method.upper(), url))
    return ops


def test_every_endpoint_but_health_ready_metrics_needs_a_valid_key(api: Api) -> None:
    ops = all_operations(api)
    assert len(ops) >= 18
    for method, url in ops:
        if url in ("/health", "/ready", "/metrics"):
            # A load balancer and a Prometheus scraper have no key.
            assert api.call(method, url, who=None).status_code == 200
            continue
        for headers in ({}, {"Authorization": "Bearer fgk_not-a-key"},
                        {"X-API-Key": "nope"}, {"Authorization": "Basic dXNlcjpwYXNz"},
                        {"Authorization": "Bearer " + "x" * 5000}):
            r = api.call(method, url, who=None, headers=headers)
            assert r.status_code == 401, (method, url, headers.keys())
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["status"] == 401


def test_x_api_key_header_works_too(api: Api) -> None:
    r = api.get("/v1/clusters", who=None, headers={"X-API-Key": api.keys.analyst})
    assert r.status_code == 200


BANK_FORBIDDEN = [
    ("GET", "/v1/clusters"), ("GET", "/v1/clusters/cl-1"), ("GET", "/v1/schemes/emerging"),
    ("GET", "/v1/lists/black"), ("POST", "/v1/lists/grey"),
    ("DELETE", "/v1/lists/black/le-black-acc?reason=x"), ("GET", "/v1/queries"),
    ("POST", "/v1/queries/timeline"), ("GET", "/v1/keys"), ("POST", "/v1/keys"),
    ("DELETE", "/v1/keys/key_x"), ("POST", "/v1/reidentify"),
    ("POST", "/v1/incidents/inc-1/confirm"),
]
ANALYST_FORBIDDEN = [
    ("POST", "/v1/lists/grey"), ("DELETE", "/v1/lists/black/le-black-acc?reason=x"),
    ("GET", "/v1/keys"), ("POST", "/v1/keys"), ("DELETE", "/v1/keys/key_x"),
    ("POST", "/v1/reidentify"),
]


@pytest.mark.parametrize(("who", "ops"), [("kaspi", BANK_FORBIDDEN),
                                          ("analyst", ANALYST_FORBIDDEN)])
def test_roles_are_enforced(api: Api, who: str, ops: list[tuple[str, str]]) -> None:
    body = {"entity_kind": "phone", "entity_id": "+77010000099", "reason": "x"}
    for method, url in ops:
        kw = {"json": body} if method == "POST" else {}
        r = api.call(method, url, who=who, **kw)  # type: ignore[arg-type]
        assert r.status_code == 403, (who, method, url, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    # Nothing changed: the black-listed account is still listed.
    assert any(e["id"] == "le-black-acc" for e in api.get("/v1/lists/black").json()["items"])


def test_bank_sees_evidence_only_for_its_own_customers(api: Api) -> None:
    url = f"/v1/entities/account/{api.pseudo('account', IBAN['mule1'])}/risk"  # at KASPI
    own = api.get(url, who="kaspi").json()
    other = api.get(url, who="halyk").json()
    full = api.get(url, who="analyst").json()
    assert own["restricted"] is False and own["reasons"] and own["risk"] == 0.7
    # The same card as the AFC's, but its evidence at other banks is "at another bank"
    # (tests/api/test_hostile_bank.py).
    assert own["risk"] == full["risk"] and len(own["reasons"]) <= len(full["reasons"])
    assert other["restricted"] is True
    assert other["band"] == "high"
    assert other["risk"] is None and other["reasons"] == [] and other["paths"] == []
    assert other["prop_score"] is None and other["gnn_score"] is None
    # A person is own when they hold an account at the bank (p1 holds KASPI's mule1):
    # KASPI sees their card, HALYK the band only.
    url = f"/v1/entities/person/{api.pseudo('person', '850505400202')}/risk"
    assert api.get(url, who="kaspi").json()["restricted"] is False
    person = api.get(url, who="halyk").json()
    assert person["restricted"] is True and person["reasons"] == []


def test_bank_may_trace_only_its_own_incidents(api: Api) -> None:
    assert api.get("/v1/incidents/inc-1/trace", who="halyk").status_code == 200  # reporter
    r = api.get("/v1/incidents/inc-1/trace", who="kaspi")
    assert r.status_code == 403


def test_key_admin_rejects_unknown_banks_and_bank_bound_admins(api: Api) -> None:
    for body in ({"role": "bank", "bank": "NOSUCHBANK"}, {"role": "afc_analyst", "bank": "ZZZ"},
                 {"role": "admin", "bank": "KASPI"}):
        r = api.post("/v1/keys", who="admin", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["field"] == "bank"
    assert not any(k.get("bank") in ("NOSUCHBANK", "ZZZ") or
                   (k["role"] == "admin" and k.get("bank"))
                   for k in api.get("/v1/keys", who="admin").json())


def test_keys_admin_create_use_and_revoke(api: Api) -> None:
    r = api.post("/v1/keys", who="admin", json={"role": "bank", "bank": "forte"})
    assert r.status_code == 201
    new = r.json()
    assert new["bank"] == "FORTE" and new["key"].startswith("fgk_")
    listed = api.get("/v1/keys", who="admin").json()
    assert any(k["id"] == new["id"] for k in listed)
    assert all("key" not in k and "hash" not in k for k in listed)
    hdr = {"Authorization": f"Bearer {new['key']}"}
    body = {"payer_account": IBAN["mule3"], "payee_account": IBAN["payee"], "amount_kzt": 1,
            "at": CHECK_AT}  # a FORTE payer
    assert api.post("/v1/check", who=None, headers=hdr, json=body).status_code == 200
    r = api.delete(f"/v1/keys/{new['id']}", who="admin")
    assert r.status_code == 200 and r.json()["revoked"] is True
    # Revocation through the API takes effect at once (the key cache is evicted).
    assert api.post("/v1/check", who=None, headers=hdr, json=body).status_code == 401
    assert api.delete("/v1/keys/key_nonexistent", who="admin").status_code == 404
    assert api.post("/v1/keys", who="admin", json={"role": "bank"}).status_code == 422
    assert api.post("/v1/keys", who="admin", json={"role": "root"}).status_code == 422

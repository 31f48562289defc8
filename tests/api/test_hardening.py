"""The front door under hostile input: no body read before the key is checked, bodies
bounded, lone surrogates refused, per-key rate limits, every 500 with a request id, and
error logs that do not flood."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiConfig
from api.observe import ErrorLogThrottle
from fraudgraph.settings import Settings
from tests.api.conftest import Api
from tests.api.world import CHECK_AT, IBAN

CHECK = {"payer_account": IBAN["payer"], "payee_account": IBAN["payee"], "amount_kzt": 1,
         "at": CHECK_AT}


def _chunks(n: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b"["
    for _ in range(n):
        yield b"1," * (size // 2)
    yield b"1]"


def test_no_body_is_read_before_the_key_is_checked(api: Api) -> None:
    read: list[int] = []

    def body() -> Iterator[bytes]:
        for c in _chunks(640):  # ~40 MB if it were all read
            read.append(len(c))
            yield c

    r = api.client.post("/v1/check", content=body(), headers={"content-type": "application/json"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert "x-request-id" in r.headers


def test_a_body_over_the_limit_is_413_before_it_is_read(api: Api) -> None:
    big = b'{"payer_account": "' + b"x" * (300 * 1024) + b'"}'
    r = api.post("/v1/check", who="halyk", content=big,
                 headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    # Without a Content-Length (chunked), cut off once past the limit.
    r = api.call("POST", "/v1/check", who="halyk", content=_chunks(10),
                 headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = api.post("/v1/check", who="halyk", json=CHECK)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/v1/check", {**CHECK, "device_id": "dev\ud800x"}, "device_id"),
    ("/v1/queries/timeline", {"params": {"id": "acc_\udfff"}}, "params.id"),
    ("/v1/entities/lookup", {"kind": "person", "id": "\ud83d"}, "id"),
    ("/v1/incidents", {"incident_id": "x", "reporter": "HALYK\udc00"}, "reporter"),
])
def test_lone_surrogates_are_422_never_500(api: Api, url: str, body: dict[str, Any],
                                           field: str) -> None:
    import json

    raw = json.dumps(body).encode()  # json escapes the lone surrogate as \\udXXX
    r = api.post(url, who="admin", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field
    assert r.json()["instance"].startswith("urn:fraudgraph:request:")
    # A well-formed pair (an emoji) is fine.
    ok = json.dumps({"kind": "device", "id": "dev-\U0001F600"}).encode()
    r = api.post("/v1/entities/lookup", who="admin", content=ok,
                 headers={"content-type": "application/json"})
    assert r.status_code in (404, 422) and r.status_code != 500


class Exploding:
    name = "exploding"

    def explain(self, kind: str, entity_id: str, *, top: int = 5) -> dict[str, Any] | None:
        raise RuntimeError("a bug")

    def on_new_seeds(self, seeds: list[tuple[str, str, float]]) -> int:
        return 0

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "loaded": True}


def test_every_500_carries_a_request_id(api: Api, settings: Settings, tmp_path: Any) -> None:
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path), engine=Exploding())
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/v1/entities/lookup", headers=api.keys.h("analyst"),
                        json={"kind": "account", "id": IBAN["mule1"]})
    assert r.status_code == 500
    rid = r.headers["x-request-id"]
    assert r.json()["instance"] == f"urn:fraudgraph:request:{rid}"
    assert "a bug" not in r.text


def test_per_key_rate_limit_is_429_with_retry_after(api: Api, settings: Settings,
                                                    tmp_path: Any) -> None:
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path, rate_check_per_s=0.01,
                                                rate_check_burst=2, rate_default_per_s=0.01,
                                                rate_default_burst=1))
    with TestClient(app, raise_server_exceptions=False) as client:
        h = api.keys.h("halyk")
        codes = [client.post("/v1/check", headers=h, json=CHECK).status_code
                 for _ in range(3)]
        assert codes == [200, 200, 429]
        r = client.post("/v1/check", headers=h, json=CHECK)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        # Its own bucket per key, and per class.
        assert client.post("/v1/check", headers=api.keys.h("analyst"),
                           json=CHECK).status_code == 200
        assert client.get("/v1/clusters", headers=api.keys.h("analyst")).status_code == 200
        assert client.get("/v1/clusters", headers=api.keys.h("analyst")).status_code == 429
        # Operations endpoints are not limited.
        assert all(client.get("/metrics").status_code == 200 for _ in range(3))


def test_identical_error_lines_are_throttled() -> None:
    f = ErrorLogThrottle(interval_s=60)

    def rec(msg: str, level: int = logging.ERROR) -> logging.LogRecord:
        return logging.LogRecord("neo4j", level, __file__, 1, msg, None, None)

    assert f.filter(rec("connection refused"))
    assert not any(f.filter(rec("connection refused")) for _ in range(2000))
    assert f.filter(rec("another failure"))
    assert f.filter(rec("info lines pass", logging.INFO))
    f.interval_s = 0.0001
    import time

    time.sleep(0.001)
    r = rec("connection refused")
    assert f.filter(r) and "2000 more like this" in str(r.msg)

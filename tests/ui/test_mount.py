"""The /ui mount without a browser or a database: files, headers, and that it stays out
of the API's contract."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.ui import CSP, permissions_of
from fraudgraph.settings import Settings


def client(settings: Settings) -> TestClient:
    # No lifespan (no `with`): nothing here may need Neo4j.
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_index_and_modules_are_served_with_a_strict_policy(settings: Settings) -> None:
    c = client(settings)
    r = c.get("/ui/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP.split("style-src-attr")[0]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert '<script type="module" src="js/main.js">' in r.text
    js = c.get("/ui/js/graph.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert c.get("/ui", follow_redirects=False).status_code in (307, 308)
    assert c.get("/ui/js/nope.js").status_code == 404


def test_whoami_needs_a_key_and_ui_is_not_in_the_openapi(settings: Settings) -> None:
    c = client(settings)
    r = c.get("/ui/whoami")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    paths = c.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/ui")]


def test_permissions_follow_the_role_table() -> None:
    assert "lists:write" in permissions_of("admin")
    assert "lists:read" in permissions_of("afc_analyst")
    assert "lists:write" not in permissions_of("afc_analyst")
    bank = permissions_of("bank")
    assert "risk" in bank and "incidents:trace" in bank
    assert not {"lists:read", "clusters", "queries"} & set(bank)

"""The routes' dependencies are seams (api/deps.py): a test replaces the caller or the
graph through app.dependency_overrides. The front door (api/guard.py) still wants a valid
key before any route runs, so each request carries a real analyst key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from neo4j import Driver

from api import deps
from api.app import create_app
from api.auth import authenticate
from api.config import ApiConfig
from api.keys import Principal, create_key
from fraudgraph.settings import Settings


class FakeGraph:
    """Answers every read_one with an empty page and keeps what it was asked."""

    def __init__(self) -> None:
        self.reads: list[dict[str, Any]] = []

    async def read_one(self, query: str, **params: Any) -> dict[str, Any]:
        self.reads.append(params)
        return {"total": 0, "items": []}


@pytest.fixture
def client(neo4j_driver: Driver, settings: Settings, tmp_path: Path
           ) -> Iterator[tuple[FastAPI, TestClient]]:
    token = create_key(neo4j_driver, settings.neo4j_database, "afc_analyst", None)[1]
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path / "audit"))
    with TestClient(app, raise_server_exceptions=False,
                    headers={"Authorization": f"Bearer {token}"}) as c:
        yield app, c
    app.dependency_overrides.clear()


def test_an_overridden_caller_is_who_the_routes_see(
        client: tuple[FastAPI, TestClient]) -> None:
    app, c = client
    assert c.get("/v1/clusters").status_code == 200

    async def bank_caller() -> Principal:
        return Principal(key_id="key_bank", role="bank", bank="KASPI")

    app.dependency_overrides[authenticate] = bank_caller
    r = c.get("/v1/clusters")
    # The permission check runs on the overridden caller: a bank may not list clusters.
    assert r.status_code == 403
    assert "needs permission 'clusters'" in r.json()["detail"]


def test_an_overridden_graph_answers_the_route(client: tuple[FastAPI, TestClient]) -> None:
    app, c = client
    fake = FakeGraph()

    async def graph() -> FakeGraph:
        return fake

    app.dependency_overrides[deps.graph] = graph
    r = c.get("/v1/clusters", params={"min_size": 3})
    assert r.status_code == 200, r.text
    assert r.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert fake.reads[0]["min_size"] == 3

"""API test fixtures: one small world per test module (loaded through the real loader),
an app per module with keys of every role, and TestClient with its lifespan running."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.config import ApiConfig
from api.keys import create_key
from api.risk import StoredRiskEngine
from cypher.graph_schema import reset_data
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from graph_loader.load import load_directory
from tests.api.world import write_derived, write_feeds


@dataclass
class Keys:
    analyst: str
    admin: str
    kaspi: str
    halyk: str

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, who)}"}


@dataclass
class Api:
    client: TestClient
    keys: Keys
    engine: StoredRiskEngine
    audit_dir: Path
    pseudo: Pseudonymiser

    def call(self, method: str, url: str, who: str | None = "analyst",
             headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        """One request with `who`'s key (None: no key) plus any extra headers."""
        h = {**(self.keys.h(who) if who else {}), **(headers or {})}
        return self.client.request(method, url, headers=h, **kw)

    def get(self, url: str, who: str | None = "analyst", **kw: Any) -> httpx.Response:
        return self.call("GET", url, who, **kw)

    def post(self, url: str, who: str | None = "analyst", **kw: Any) -> httpx.Response:
        return self.call("POST", url, who, **kw)

    def delete(self, url: str, who: str | None = "analyst", **kw: Any) -> httpx.Response:
        return self.call("DELETE", url, who, **kw)

    def risk(self, kind: str, entity: str, who: str | None = "analyst") -> httpx.Response:
        """The risk card of a raw identifier or pseudonym (POST /v1/entities/lookup)."""
        return self.post("/v1/entities/lookup", who=who, json={"kind": kind, "id": entity})


@pytest.fixture(scope="module")
def world(neo4j_driver: Driver, settings: Settings, pseudo: Pseudonymiser,
          tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """A fresh graph for this module: the world's feeds, derived facts and API keys."""
    db = settings.neo4j_database
    reset_data(neo4j_driver, db)
    tmp = tmp_path_factory.mktemp("apiworld")
    rep = load_directory(neo4j_driver, db, write_feeds(tmp / "feeds"), pseudo,
                         rejects_path=tmp / "rejects.csv", progress=False)
    assert rep.rejected == 0, rep
    write_derived(neo4j_driver, db, pseudo)
    return Keys(
        analyst=create_key(neo4j_driver, db, "afc_analyst", None)[1],
        admin=create_key(neo4j_driver, db, "admin", None)[1],
        kaspi=create_key(neo4j_driver, db, "bank", "KASPI")[1],
        halyk=create_key(neo4j_driver, db, "bank", "HALYK")[1],
    )


@pytest.fixture(scope="module")
def api(world: Keys, settings: Settings, pseudo: Pseudonymiser,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    audit_dir = tmp_path_factory.mktemp("audit")
    engine = StoredRiskEngine()
    # The per-key limits (lookups 2/s burst 30, the rest 50/s burst 200) are tested on
    # their own apps (tests/api/test_hardening.py, test_hostile_bank.py); here one key
    # makes every module's calls, the injection corpus's hundreds of them included.
    app = create_app(settings, config=ApiConfig(audit_dir=audit_dir, rate_lookup_burst=1000,
                                                rate_default_burst=100_000),
                     engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, world, engine, audit_dir, pseudo)

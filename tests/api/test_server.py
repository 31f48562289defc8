"""`serve --workers N` runs `api.server:app_from_env` in each worker: every worker gets the
propagation engine a single `serve` process gets, never the stored-properties fallback
(which has no explanation paths and only queues new seeds)."""

from __future__ import annotations

import pytest
from neo4j import Driver

from api.server import app_from_env
from fraudgraph.settings import Settings
from tests.conftest import TEST_KEY


def test_a_worker_app_carries_the_propagation_engine(
        monkeypatch: pytest.MonkeyPatch, settings: Settings, neo4j_driver: Driver) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    for key, value in {"FRAUDGRAPH_ENV": "test", "FRAUDGRAPH_VAR_DIR": str(settings.var_dir),
                       "FRAUDGRAPH_BOLT_PORT": str(settings.bolt_port),
                       "FRAUDGRAPH_HTTP_PORT": str(settings.http_port),
                       "FRAUDGRAPH_PSEUDONYM_KEY": TEST_KEY}.items():
        monkeypatch.setenv(key, value)
    app = app_from_env()
    assert app.state.engine.info()["name"] == "propagation"

"""`fraudgraph keys ...` and `fraudgraph serve`'s refusal to deploy with the default key."""

from __future__ import annotations

import json

import pytest
import typer
from neo4j import Driver
from typer.testing import CliRunner

from api.keys import hash_token
from cli.service import register
from fraudgraph.errors import ConfigurationError
from fraudgraph.settings import Settings


def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """fraudgraph (test)"""

    register(app)
    return app


@pytest.fixture
def test_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("FRAUDGRAPH_ENV", "test")
    monkeypatch.setenv("FRAUDGRAPH_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("FRAUDGRAPH_BOLT_PORT", str(settings.bolt_port))
    monkeypatch.delenv("NEO4J_URI", raising=False)


def test_keys_create_list_revoke(test_env: None, neo4j_driver: Driver) -> None:
    runner = CliRunner()
    r = runner.invoke(cli(), ["keys", "create", "--role", "bank", "--bank", "KASPI"])
    assert r.exit_code == 0, r.output
    created = json.loads(r.stdout.splitlines()[0])
    assert created["key"].startswith("fgk_") and created["role"] == "bank"
    # Only the hash is stored.
    recs, _, _ = neo4j_driver.execute_query(
        "MATCH (k:ApiKey {id: $id}) RETURN k.hash AS hash, k.bank AS bank, "
        "[p IN keys(k) WHERE k[p] = $key] AS leaks", id=created["id"], key=created["key"])
    assert recs[0]["hash"] == hash_token(created["key"]) and recs[0]["bank"] == "KASPI"
    assert recs[0]["leaks"] == []
    listed = runner.invoke(cli(), ["keys", "list"])
    assert created["id"] in listed.stdout and created["key"] not in listed.stdout
    assert runner.invoke(cli(), ["keys", "revoke", created["id"]]).exit_code == 0
    recs, _, _ = neo4j_driver.execute_query("MATCH (k:ApiKey {id: $id}) RETURN k.revoked AS r",
                                            id=created["id"])
    assert recs[0]["r"] is True
    assert runner.invoke(cli(), ["keys", "revoke", "key_nope"]).exit_code != 0
    assert runner.invoke(cli(), ["keys", "create", "--role", "bank"]).exit_code != 0


def test_serve_refuses_production_with_the_default_pseudonym_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAUDGRAPH_ENV", "production")
    monkeypatch.delenv("FRAUDGRAPH_PSEUDONYM_KEY", raising=False)
    r = CliRunner().invoke(cli(), ["serve", "--port", "1"])
    assert isinstance(r.exception, ConfigurationError)

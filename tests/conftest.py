"""One real Neo4j per test session (the project-managed test instance), cleaned between
tests. If the server cannot start, the session errors: graph tests never skip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from cypher.graph_schema import apply_schema, reset_data
from fraudgraph.db import make_driver
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import REPO_ROOT, Settings

TEST_KEY = "test-pseudonym-key"


@pytest.fixture(scope="session")
def settings() -> Settings:
    # Overridable so that a developer can run a slice of the suite on a private instance.
    port = int(os.environ.get("FRAUDGRAPH_TEST_BOLT_PORT", "7688"))
    return Settings(
        env="test",
        neo4j_uri=None,
        var_dir=Path(os.environ.get("FRAUDGRAPH_TEST_VAR_DIR", REPO_ROOT / "var" / "test")),
        bolt_port=port,
        http_port=int(os.environ.get("FRAUDGRAPH_TEST_HTTP_PORT", port - 7688 + 7475)),
        heap_size="2g",
        pagecache_size="1g",
        pseudonym_key=TEST_KEY,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def pseudo() -> Pseudonymiser:
    return Pseudonymiser(TEST_KEY)


@pytest.fixture(scope="session")
def neo4j_driver(settings: Settings) -> Iterator[Driver]:
    server = Neo4jServer(settings)
    started, _msg = server.start()  # raises (test error, not skip) if it cannot start
    driver = make_driver(settings)
    driver.verify_connectivity()
    apply_schema(driver, settings.neo4j_database)
    try:
        yield driver
    finally:
        driver.close()
        if started:
            server.stop()


@pytest.fixture
def graph(neo4j_driver: Driver, settings: Settings) -> Iterator[Driver]:
    """A clean graph for one test (schema kept)."""
    reset_data(neo4j_driver, settings.neo4j_database)
    yield neo4j_driver


@pytest.fixture
def db(settings: Settings) -> str:
    return settings.neo4j_database


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment a `fraudgraph` command run in-process needs to reach the test
    Neo4j with the test key (CliRunner tests)."""
    for k, v in {"FRAUDGRAPH_VAR_DIR": str(settings.var_dir),
                 "FRAUDGRAPH_BOLT_PORT": str(settings.bolt_port),
                 "FRAUDGRAPH_HTTP_PORT": str(settings.http_port),
                 "FRAUDGRAPH_PSEUDONYM_KEY": TEST_KEY, "FRAUDGRAPH_ENV": "test"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("NEO4J_URI", raising=False)


@pytest.fixture
def tmp_world(tmp_path: Path) -> Path:
    return tmp_path / "world"


# The tiny hand-written feed world, shared by every package's tests.
from tests.graph_loader.conftest import tiny_feeds  # noqa: E402, F401

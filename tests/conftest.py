"""One real Neo4j per test session (the project-managed test instance), cleaned between
tests. If the server cannot start, the session errors: graph tests never skip.

Two tiers: every test that needs no server is marked `unit` here at collection (`pytest -m
unit`, `make unit`), the rest is the integration tier on the real Neo4j (and Kafka).
Which tier a test is in follows from its fixtures, so a new test lands in the right one
without a marker; inside the unit tier the drivers cannot be built at all."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import confluent_kafka
import confluent_kafka.admin
import neo4j
import pytest
from neo4j import Driver

from cypher.graph_schema import apply_schema, reset_data
from fraudgraph.db import make_driver
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import REPO_ROOT, Settings

TEST_KEY = "test-pseudonym-key"

# The fixtures that reach a server: Neo4j (everything built on the session driver, the
# API and workbench worlds among them), Kafka, the environment a command run in-process
# or a notebook uses to reach the test instance, and the browser of the workbench tests.
SERVER_FIXTURES = frozenset({
    "neo4j_driver",  # tests/conftest.py: graph, and every world fixture below it
    "cli_env",  # tests/conftest.py, tests/gnn/pipeline/test_gnn_pipeline.py
    "test_env",  # tests/api/test_cli.py
    "kafka_settings", "stream_settings",  # tests/graph_loader/test_stream.py
    "notebook_env",  # tests/notebooks/test_notebooks.py
    "browser", "live", "tab",  # tests/ui/conftest.py
})
# Modules whose tests start servers themselves (no fixture says so).
SERVER_MODULES = (
    "tests/fraudgraph/test_neo4j_server.py",  # starts its own Neo4j in a tmp directory
    "tests/graph_loader/test_stream.py",  # the Kafka broker
)

# Tests with no server fixture that still stay out of the unit tier, and why.
NOT_UNIT = {
    "tests/api/test_operations.py::test_a_bug_becomes_a_logged_problem_500":
        "its app's lifespan builds a driver from the test Neo4j's password file",
    "tests/reliability/test_api_injection.py::test_inputs_were_tried":
        "counts the probes that its module's integration tests sent",
    "tests/bench/test_bench_scripts.py::test_every_benchmark_answers_help_when_run_by_its_path":
        "slow (about 30 s): one Python process per benchmark, each importing torch",
}


def _needs_server(item: pytest.Item) -> bool:
    """Whether `item` belongs to the integration tier (see SERVER_FIXTURES and NOT_UNIT)."""
    rel = item.path.resolve().relative_to(item.config.rootpath).as_posix()
    if rel.startswith(SERVER_MODULES) or item.nodeid in NOT_UNIT:
        return True
    if item.get_closest_marker("browser") is not None:  # the workbench in Chromium
        return True
    return not SERVER_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        explicit = item.get_closest_marker("unit") is not None
        if not _needs_server(item):
            if not explicit:
                item.add_marker(pytest.mark.unit)
        elif explicit:
            # A hand-written `unit` mark on a test with a server fixture would only fail
            # later, inside the guard below; say so at collection instead.
            raise pytest.UsageError(f"{item.nodeid} is marked unit but needs a server")


def _refuse(what: str) -> Callable[..., NoReturn]:
    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError(f"a unit test tried to build {what}: the unit tier needs no "
                           "server (use tests/fakes.FakeDriver, or a server fixture, which "
                           "makes the test an integration test)")
    return refuse


@pytest.fixture(autouse=True)
def _no_server_in_the_unit_tier(request: pytest.FixtureRequest,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """In a `unit` test no driver or Kafka client can be built, so none can reach a server
    that happens to be running: a test that would is an error, not a silent integration
    test."""
    if request.node.get_closest_marker("unit") is None:
        return
    # The driver factories are attributes of classes every `from neo4j import ...` shares
    # (fraudgraph.db, api.db), kept unbound by staticmethod. The Kafka clients are imported
    # inside the functions that use them (graph_loader.stream, topics), so patching the
    # module reaches them.
    for factory in (neo4j.GraphDatabase, neo4j.AsyncGraphDatabase):
        monkeypatch.setattr(factory, "driver", staticmethod(_refuse("a Neo4j driver")))
    for name in ("Producer", "Consumer"):
        monkeypatch.setattr(confluent_kafka, name, _refuse(f"a Kafka {name}"))
    monkeypatch.setattr(confluent_kafka.admin, "AdminClient", _refuse("a Kafka AdminClient"))


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

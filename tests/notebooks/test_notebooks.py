"""The analyst notebooks run top to bottom against the test Neo4j, and are committed
without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from neo4j import Driver

from cypher.graph_schema import reset_data
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import REPO_ROOT, Settings
from graph_loader.load import load_directory
from graph_loader.notebook import NotebookRefused, may_replace, prepare_world
from tests.conftest import TEST_KEY

NOTEBOOKS = REPO_ROOT / "notebooks"
# Each notebook and the figures it must draw.
FIGURES = {"01_explore_a_ring.ipynb": 2, "02_models.ipynb": 5, "03_investigate_an_entity.ipynb": 4,
           "04_feedback_loop.ipynb": 2}
NAMES = sorted(FIGURES)


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_every_notebook_is_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{name}: cells {dirty} keep outputs; clear them before committing"


@pytest.fixture
def notebook_env(monkeypatch: pytest.MonkeyPatch, settings: Settings,
                 neo4j_driver: Driver) -> Settings:
    """The kernel inherits this process's environment: point it at the test instance."""
    # Other tests leave their (hand-written, not generated) data behind, which the
    # notebooks rightly refuse to erase; the test instance is disposable.
    if not may_replace(neo4j_driver, settings.neo4j_database)[0]:
        reset_data(neo4j_driver, settings.neo4j_database)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    for key, value in {"FRAUDGRAPH_ENV": "test", "FRAUDGRAPH_VAR_DIR": str(settings.var_dir),
                       "FRAUDGRAPH_BOLT_PORT": str(settings.bolt_port),
                       "FRAUDGRAPH_HTTP_PORT": str(settings.http_port),
                       "FRAUDGRAPH_PSEUDONYM_KEY": TEST_KEY,
                       "OMP_WAIT_POLICY": "PASSIVE", "MPLBACKEND": "Agg"}.items():
        monkeypatch.setenv(key, value)
    return settings


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, notebook_env: Settings, tmp_path: Path) -> None:
    # The venv's kernelspec ("python" in its argv resolves to this interpreter).
    assert "python3" in KernelSpecManager().find_kernel_specs()
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = _outputs(nb)
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= FIGURES[name], f"{name}: {len(figures)} figures"
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def test_world_marker_names_world_and_key(tmp_path: Path) -> None:
    from fraudgraph.pseudonym import Pseudonymiser
    from graph_loader.notebook import world_marker

    a = world_marker(tmp_path / "notebook-3000-s7", Pseudonymiser("k1"))
    assert a == world_marker(tmp_path / "notebook-3000-s7", Pseudonymiser("k1"))
    assert a != world_marker(tmp_path / "notebook-3000-s7", Pseudonymiser("k2"))
    assert a != world_marker(tmp_path / "notebook-3000-s8", Pseudonymiser("k1"))
    assert "k1" not in a


def test_notebooks_refuse_to_reset_a_graph_of_real_feeds(graph: Driver, db: str,
                                                         settings: Settings, pseudo: Pseudonymiser,
                                                         tiny_feeds: Path, tmp_path: Path) -> None:
    # Feeds that are not a generated world (no truth/manifest.json): as in production.
    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    allowed, why = may_replace(graph, db)
    assert not allowed and "read_only_driver" in why
    with pytest.raises(NotebookRefused, match="refusing to reset"):
        prepare_world(settings, accounts=2000, seed=3).driver.close()
    # Refused before generating anything.
    assert not (settings.var_dir / "worlds" / "notebook-2000-s3").exists()
    recs, _, _ = graph.execute_query("MATCH (a:Account) RETURN count(a) AS n", database_=db)
    assert recs[0]["n"] == 5


def test_a_graph_of_unknown_origin_is_refused_too(graph: Driver, db: str) -> None:
    graph.execute_query("CREATE (:Account {id: 'acc_x'})", database_=db)
    allowed, why = may_replace(graph, db)
    assert not allowed and "nothing records where its data came from" in why


def test_an_empty_or_generated_graph_may_be_replaced(graph: Driver, db: str,
                                                     pseudo: Pseudonymiser,
                                                     tiny_feeds: Path, tmp_path: Path) -> None:
    assert may_replace(graph, db) == (True, "")
    (tiny_feeds / "truth").mkdir()
    (tiny_feeds / "truth" / "manifest.json").write_text("{}")  # the generator's mark
    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    assert may_replace(graph, db) == (True, "")


def test_the_read_only_driver_cannot_write(settings: Settings, neo4j_driver: Driver) -> None:
    from neo4j.exceptions import Neo4jError

    from graph_loader.notebook import read_only_driver

    ro = read_only_driver(settings)
    try:
        assert ro.execute_query("RETURN 1 AS x").records[0]["x"] == 1
        with pytest.raises(Neo4jError):
            ro.execute_query("CREATE (:Scratch)")
        with ro.session() as s, pytest.raises(Neo4jError):
            s.run("CREATE (:Scratch)").consume()
    finally:
        ro.close()

"""The analyst notebooks run top to bottom against the test Neo4j, and are committed
without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from neo4j import Driver

from fraudgraph.settings import REPO_ROOT, Settings
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
    from fraudgraph.notebook import world_marker
    from fraudgraph.pseudonym import Pseudonymiser

    a = world_marker(tmp_path / "notebook-3000-s7", Pseudonymiser("k1"))
    assert a == world_marker(tmp_path / "notebook-3000-s7", Pseudonymiser("k1"))
    assert a != world_marker(tmp_path / "notebook-3000-s7", Pseudonymiser("k2"))
    assert a != world_marker(tmp_path / "notebook-3000-s8", Pseudonymiser("k1"))
    assert "k1" not in a

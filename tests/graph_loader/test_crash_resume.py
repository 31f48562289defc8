"""Kill the loader (SIGKILL) at random points of a real load, re-run it, and compare the
graph with an uninterrupted load: same counts, same content checksum."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import Driver

from cypher.graph_schema import apply_schema, reset_data
from fraudgraph.settings import REPO_ROOT, Settings
from generator.world import generate_world
from graph_loader.checksum import graph_checksum
from tests.conftest import TEST_KEY


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crash") / "w"
    generate_world(out, accounts=5000, seed=11)
    return out


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "FRAUDGRAPH_VAR_DIR": str(settings.var_dir),
            "FRAUDGRAPH_BOLT_PORT": str(settings.bolt_port),
            "FRAUDGRAPH_HTTP_PORT": str(settings.http_port),
            "FRAUDGRAPH_PSEUDONYM_KEY": TEST_KEY, "FRAUDGRAPH_BATCH_SIZE": "2000"}


def _load_cmd(world: Path, tmp: Path) -> list[str]:
    return [sys.executable, "-m", "fraudgraph", "load", str(world),
            "--report", str(tmp / "report.json"), "--rejects", str(tmp / "rejects.csv")]


def _fresh(graph: Driver, db: str) -> None:
    reset_data(graph, db)
    graph.execute_query("MATCH (n:LoadBatch) DETACH DELETE n", database_=db)
    apply_schema(graph, db)


def _count(graph: Driver, db: str, rel: str) -> int:
    recs, _, _ = graph.execute_query(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c",
                                     database_=db)
    return int(recs[0]["c"])


def _kill_when(proc: subprocess.Popen[bytes], graph: Driver, db: str, rel: str,
               target: int) -> bool:
    """SIGKILL the loader once `target` relationships of `rel` are committed."""
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if _count(graph, db, rel) >= target:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.05)
    proc.wait()
    return False


@pytest.mark.slow
def test_killed_loads_resume_to_the_identical_graph(graph: Driver, db: str, world: Path,
                                                    settings: Settings, tmp_path: Path) -> None:
    env = _env(settings)
    _fresh(graph, db)
    subprocess.run(_load_cmd(world, tmp_path), env=env, cwd=REPO_ROOT, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    expected = graph_checksum(graph, db)
    assert expected["relationships"] > 50_000
    totals = {rel: _count(graph, db, rel) for rel in ("TRANSFERRED", "CALLED")}

    for seed in (1, 2, 3):
        rng = random.Random(seed)
        _fresh(graph, db)
        kills = 0
        # Kill points are drawn in progress, not in time: mid-transfers, then mid-calls
        # of the resumed run, so every seed crashes twice at a different place.
        for rel in ("TRANSFERRED", "CALLED"):
            proc = subprocess.Popen(_load_cmd(world, tmp_path), env=env, cwd=REPO_ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            target = int(rng.uniform(0.2, 0.8) * totals[rel])
            kills += _kill_when(proc, graph, db, rel, target)
        done = subprocess.run(_load_cmd(world, tmp_path), env=env, cwd=REPO_ROOT, check=False,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert done.returncode in (0, 3)
        assert kills >= 1, "every load finished before its kill point"
        assert graph_checksum(graph, db) == expected, f"seed {seed}"

"""End to end on small generated worlds in the test Neo4j: train, score, clusters, eval."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import typer
from neo4j import Driver
from typer.testing import CliRunner

from cli import models as cli
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from generator.world import generate_world
from gnn.models.fit import GnnConfig
from gnn.models.pipeline import TrainOptions, score_snapshot, train_pipeline, write_scores
from gnn.registry import latest, read_manifest
from gnn.snapshot.export import export_snapshot
from graph_loader.load import load_directory
from tests.conftest import TEST_KEY

FAST = GnnConfig(epochs=4, hidden=16, patience=2, score_folds=2)


def _world(graph: Driver, db: str, pseudo: Pseudonymiser, tmp: Path, *, minimal: bool) -> Path:
    out = tmp / ("minimal" if minimal else "full")
    generate_world(out, accounts=2000, seed=5, minimal=minimal, progress=False)
    rep = load_directory(graph, db, out, pseudo, rejects_path=tmp / "rejects.csv", progress=False)
    assert rep.rejected == 0
    return out


def _unscored(graph: Driver, db: str) -> int:
    recs, _, _ = graph.execute_query(
        "MATCH (a:Account) WHERE a.gnn_score IS NULL RETURN count(a) AS n", database_=db)
    return int(recs[0]["n"])


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path) -> Path:
    """The CLI reads settings from the environment: point it at the test server."""
    var = tmp_path / "var"
    monkeypatch.setenv("NEO4J_URI", settings.local_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.password_file.read_text().strip())
    monkeypatch.setenv("FRAUDGRAPH_VAR_DIR", str(var))
    monkeypatch.setenv("FRAUDGRAPH_PSEUDONYM_KEY", TEST_KEY)
    return var


def test_cli_train_score_clusters_eval(graph: Driver, db: str, pseudo: Pseudonymiser,
                                       tmp_path: Path, cli_env: Path) -> None:
    world = _world(graph, db, pseudo, tmp_path, minimal=False)
    app = typer.Typer()
    cli.register(app)
    runner = CliRunner()

    res = runner.invoke(app, ["train", "--epochs", "4", "--hidden", "16", "--threads", "1"])
    assert res.exit_code == 0, res.output
    version_dir = latest(cli_env / "models")
    manifest = read_manifest(version_dir)
    served = manifest["served"]
    assert served["model"] in ("gnn", "lightgbm", "ensemble")
    files = {"gnn": ["gnn.pt"], "lightgbm": ["lightgbm/repeats.json"],
             "ensemble": ["gnn.pt", "lightgbm/repeats.json"]}[served["model"]]
    for name in (*files, "test_scores.npz"):
        assert (version_dir / name).exists()
    assert manifest["data_hash"] and manifest["features"]["tabular"]
    # The served model is refit on every label known now, not only those before T1.
    assert served["labels"] > manifest["split"]["train"]["positives"]
    assert set(served["combiner"]["components"]) <= {"model", "propagation", "heuristics"}
    assert all(w >= 0 for w in served["combiner"]["weights"])
    # heuristics: the Cypher heuristics run read-only as of each cut-off
    assert set(manifest["metrics"]["test"]) == {"gnn", "lightgbm", "ensemble", "propagation",
                                               "heuristics", "served"}
    assert manifest["metrics"]["test"]["gnn"]["pr_auc"] is not None
    assert manifest["metrics"]["val"]["served"]["pr_auc"] is not None

    res = runner.invoke(app, ["score", "--threads", "1"])
    assert res.exit_code == 0, res.output
    assert _unscored(graph, db) == 0
    # score raises alerts itself (casework.hooks): every account at the model threshold.
    raised = re.search(r"alerts: (\d+) raised, 0 merged", res.output)
    assert raised, res.output
    recs, _, _ = graph.execute_query(
        "MATCH (a:Account) WHERE a.gnn_score >= 0.5 RETURN count(a) AS n, "
        "sum(CASE WHEN EXISTS { (a)<-[:ABOUT]-(:Alert {status: 'open'}) } THEN 1 ELSE 0 END)"
        " AS alerted", database_=db)
    assert recs[0]["alerted"] == recs[0]["n"]
    alerts, _, _ = graph.execute_query("MATCH (al:Alert) RETURN count(al) AS n", database_=db)
    assert alerts[0]["n"] == int(raised.group(1)) >= recs[0]["n"]

    res = runner.invoke(app, ["clusters", "--json", str(tmp_path / "c1.json")])
    assert res.exit_code == 0, res.output
    first = json.loads((tmp_path / "c1.json").read_text())["clusters"]
    assert first, "expected at least one cluster of high-risk accounts"
    recs, _, _ = graph.execute_query(
        "MATCH (c:Cluster {active: true})<-[:IN_CLUSTER]-(a) RETURN c.id AS id, count(a) AS n",
        database_=db)
    assert {r["id"]: r["n"] for r in recs} == {c["id"]: c["size"] for c in first}
    # A second run on the same data keeps every cluster id.
    res = runner.invoke(app, ["clusters", "--json", str(tmp_path / "c2.json")])
    assert res.exit_code == 0, res.output
    second = json.loads((tmp_path / "c2.json").read_text())["clusters"]
    assert sorted(c["id"] for c in second) == sorted(c["id"] for c in first)

    out = tmp_path / "eval.json"
    res = runner.invoke(app, ["eval", "models", "--truth", str(world / "truth"), "--json",
                              str(out), "--weeks", "1"])
    assert res.exit_code == 0, res.output
    ev = json.loads(out.read_text())
    assert ev["model_version"] == manifest["version"]
    assert ev["truth"]["gnn"]["positives"] > 0
    assert ev["truth"]["served"]["positives"] == ev["truth"]["gnn"]["positives"]
    # ... and the risk served today, beside its stored components, on hidden truth
    assert set(ev["served_now"]) == {"served_risk", "model", "propagation", "heuristics"}
    assert ev["served_now"]["model"]["positives"] > 0
    assert ev["clusters"]["clusters"] == len(second)
    assert 0.0 <= ev["clusters"]["precision"] <= 1.0
    assert len(ev["emerging"]["backtests"]) == 1
    assert all(Path(p).exists() for p in ev["pr_curves"])


def test_pipeline_on_minimal_feeds(graph: Driver, db: str, pseudo: Pseudonymiser,
                                   tmp_path: Path) -> None:
    _world(graph, db, pseudo, tmp_path, minimal=True)
    snap = export_snapshot(graph, db, progress=False)
    assert len(snap.edges[("Account", "USED", "Device")]) == 0
    manifest = train_pipeline(snap, tmp_path / "models",
                              TrainOptions(gnn=FAST, progress=False, min_positives=2, threads=1))
    assert manifest["metrics"]["test"]["gnn"]["positives"] >= 2
    assert manifest["label_sources"]["verdict_confirmed_fraud"] == 0  # no cases yet
    assert manifest["label_sources"]["positives"] >= 2
    result = score_snapshot(snap, tmp_path / "models" / manifest["version"], threads=1)
    assert len(result.ids) == len(snap.nodes["Account"])
    assert np.all((result.scores >= 0) & (result.scores <= 1))
    assert write_scores(graph, db, result, progress=False) == len(result.ids)
    assert _unscored(graph, db) == 0

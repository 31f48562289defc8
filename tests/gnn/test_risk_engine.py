"""Propagation over the real graph: write-back, explanations that exist, incremental seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from gnn.propagation.engine import PropagationEngine
from graph_loader.load import load_directory
from tests.graph_loader.conftest import IBANS


def _risk(graph: Driver, db: str, acc: str) -> tuple[float, float, str]:
    recs, _, _ = graph.execute_query(
        "MATCH (a:Account {id: $id}) RETURN a.prop_score AS p, a.risk AS r, a.risk_band AS b",
        id=acc, database_=db)
    return recs[0]["p"], recs[0]["r"], recs[0]["b"]


def test_full_propagation_writes_ordered_risk(graph: Driver, db: str, tiny_feeds: Path,
                                              pseudo: Pseudonymiser, tmp_path: Path) -> None:
    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    engine = PropagationEngine.build(graph, db)
    assert engine.write_back() >= 5 + 3
    accs = [pseudo("account", i) for i in IBANS[:5]]
    mule, listed, far = _risk(graph, db, accs[1]), _risk(graph, db, accs[2]), _risk(graph, db, accs[4])
    # The incident beneficiary and the black-listed account are seeds; IBANS[4] is 2+ hops out.
    assert mule[0] > far[0] and listed[0] > far[0]
    assert mule[1] > far[1]
    assert mule[2] in ("medium", "high", "critical")


def test_explanation_paths_exist_in_the_graph(graph: Driver, db: str, tiny_feeds: Path,
                                              pseudo: Pseudonymiser, tmp_path: Path) -> None:
    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    engine = PropagationEngine.build(graph, db)
    target = pseudo("account", IBANS[3])
    ex = engine.explain("account", target)
    assert ex is not None and ex["top_seeds"]
    assert any(p["steps"] for p in ex["paths"])
    for path in ex["paths"]:
        assert path["nodes"][-1]["id"] == target
        for step in path["steps"]:
            a, b = (step["from"], step["to"]) if step["forward"] else (step["to"], step["from"])
            recs, _, _ = graph.execute_query(
                "MATCH (x {id: $a})-[r]->(y {id: $b}) WHERE type(r) = $rel RETURN count(r) AS c",
                a=a, b=b, rel=step["rel"], database_=db)
            assert recs[0]["c"] >= 1, step


def test_new_seed_raises_neighbourhood_incrementally(graph: Driver, db: str, tiny_feeds: Path,
                                                     pseudo: Pseudonymiser, tmp_path: Path) -> None:
    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    engine = PropagationEngine.build(graph, db)
    engine.write_back()
    merchant = pseudo("account", IBANS[4])
    before = _risk(graph, db, merchant)
    updated = engine.on_new_seeds([("account", merchant, 1.0)])
    assert updated >= 1
    after = _risk(graph, db, merchant)
    assert after[0] > before[0] and after[1] > before[1]
    assert engine.on_new_seeds([("account", "acc_" + "0" * 32, 1.0)]) == 0


def test_retracting_a_list_entry_keeps_other_seed_reasons(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path) -> None:
    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    engine = PropagationEngine.build(graph, db)
    engine.write_back()
    mule = pseudo("account", IBANS[1])  # an incident beneficiary
    before = _risk(graph, db, mule)
    engine.on_new_seeds([("account", mule, 0.0)])  # e.g. a grey entry on it was removed
    assert _risk(graph, db, mule)[0] >= before[0] - 1e-9
    listed = pseudo("account", IBANS[2])  # black-listed only
    graph.execute_query("MATCH (le:ListEntry)-[:LISTS]->(:Account {id: $id}) "
                        "SET le.removed_at = datetime()", id=listed, database_=db)
    high = _risk(graph, db, listed)
    engine.on_new_seeds([("account", listed, 0.0)])
    assert _risk(graph, db, listed)[0] < high[0]


def test_a_seed_sent_through_the_api_scores_as_the_batch_run_does(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path) -> None:
    """The API's seed weights are the batch run's: a grey entry added through the API,
    then the next full run, seed the entity alike (the weight used to jump, 0.5 in the
    API against 0.3 in the batch; incidents were a hard-coded 1.0)."""
    from api.routes.lists import SEED_WEIGHT
    from tests.graph_loader.conftest import T, write_csv

    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    engine = PropagationEngine.build(graph, db)
    engine.write_back()
    merchant = pseudo("account", IBANS[4])
    day2 = tmp_path / "day2"
    day2.mkdir()
    write_csv(day2 / "list_entries.csv", ["entry_id", "entity_kind", "entity_id", "list",
                                          "reason", "source", "since", "until"],
              [["le-9", "account", IBANS[4], "grey", "suspected", "AFC", T, ""]])
    load_directory(graph, db, day2, pseudo, rejects_path=tmp_path / "r2.csv", progress=False)
    engine.on_new_seeds([("account", merchant, SEED_WEIGHT["grey"])])  # as the route does
    batch = PropagationEngine.build(graph, db)
    # The seed each puts in. (Their scores differ still: the next run's graph also holds
    # the new ListEntry node, which the running engine's graph cannot.)
    i, j = engine.graph.index_of("Account", merchant), batch.graph.index_of("Account", merchant)
    assert engine.state.seeds[i] == pytest.approx(batch.state.seeds[j]) == 0.3


def test_the_batch_run_honours_retractions_and_unconfirmed_reports(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path) -> None:
    """A retracted incident seeds nothing and a report still awaiting the AFC's
    confirmation seeds at its reduced weight, in the next full run as in the running
    engine (the batch run used to seed every beneficiary at 1.0, retracted or not), and
    the correction invalidates the cached snapshot."""
    from cypher import statement

    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tmp_path / "r.csv",
                   progress=False)
    cache = tmp_path / "cache"
    mule = pseudo("account", IBANS[1])
    recs, _, _ = graph.execute_query(
        "MATCH (i:Incident)-[:BENEFICIARY]->(:Account {id: $id}) RETURN i.id AS id",
        id=mule, database_=db)
    incident = recs[0]["id"]
    first = PropagationEngine.build(graph, db, cache_dir=cache)
    assert first.state.seeds[first.graph.index_of("Account", mule)] == 1.0
    graph.execute_query(statement("api/incident_pending"), id=incident, by="bank-a",
                        pending=[mule], weight=0.25, database_=db)
    pending = PropagationEngine.build(graph, db, cache_dir=cache)
    assert pending.state.seeds[pending.graph.index_of("Account", mule)] == pytest.approx(0.25)
    assert pending.seed_weight("Account", mule) == pytest.approx(0.25)
    graph.execute_query(statement("api/incident_retract"), id=incident, at="2026-12-01T00:00:00Z",
                        by="bank-a", reason="mistaken report", database_=db)
    after = PropagationEngine.build(graph, db, cache_dir=cache)
    assert after.state.seeds[after.graph.index_of("Account", mule)] == 0.0
    assert after.seed_weight("Account", mule) == 0.0
    i_first = first.graph.index_of("Account", mule)
    i_after = after.graph.index_of("Account", mule)
    assert after.state.normalised()[i_after] < first.state.normalised()[i_first]

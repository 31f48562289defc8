"""Alert runs on a small real graph: the API tests' world (loaded through the real
loader, with the risk, signals and clusters later components write)."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from casework.alert_store import raise_alerts
from casework.alerts import AlertConfig
from cypher.graph_schema import reset_data
from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.load import load_directory
from tests.api.world import CHECK_AT, IBAN, ts, write_derived, write_feeds

NOW = ts(CHECK_AT)


@pytest.fixture
def world(neo4j_driver: Driver, db: str, pseudo: Pseudonymiser, tmp_path: Path) -> Driver:
    reset_data(neo4j_driver, db)
    rep = load_directory(neo4j_driver, db, write_feeds(tmp_path / "feeds"), pseudo,
                         rejects_path=tmp_path / "rejects.csv", progress=False)
    assert rep.rejected == 0
    write_derived(neo4j_driver, db, pseudo)
    # write_derived's signals belong to run-2; name it the latest detect run.
    neo4j_driver.execute_query("MERGE (m:Meta {key: 'detect'}) SET m.latest_run_id = 'run-2'",
                               database_=db)
    return neo4j_driver


def _alerts(driver: Driver, db: str) -> dict[str, dict[str, object]]:
    recs, _, _ = driver.execute_query(
        "MATCH (al:Alert) OPTIONAL MATCH (al)-[:ABOUT]->(n) "
        "RETURN al.entity_key AS key, properties(al) AS p, n.id AS about", database_=db)
    out = {}
    for r in recs:
        assert r["about"] == r["p"]["entity_id"], "each alert is linked to its entity"
        out[r["key"]] = r["p"]
    return out


def test_one_alert_per_entity_merged_and_prioritised(world: Driver, db: str,
                                                    pseudo: Pseudonymiser) -> None:
    acc = {k: pseudo("account", v) for k, v in IBAN.items()}
    rep = raise_alerts(world, db, AlertConfig(), as_of=NOW)
    alerts = _alerts(world, db)
    # mule1: band high + gnn 0.8 + cluster; mule2: critical + cluster; mule3: a severe
    # heuristic + cluster; cl-1 (3 accounts) is an alert of its own; cl-2 (1) is not.
    assert set(alerts) == {f"account:{acc['mule1']}", f"account:{acc['mule2']}",
                           f"account:{acc['mule3']}", "cluster:cl-1"}
    assert rep.raised == 4 and rep.by_kind == {"account": 3, "cluster": 1}
    m1 = alerts[f"account:{acc['mule1']}"]
    assert m1["status"] == "open" and m1["banks"] == ["KASPI"]
    assert m1["band"] == "high" and m1["gnn_score"] == 0.8 and m1["clusters"] == ["cl-1"]
    assert m1["money_kzt"] == 150000.0  # the victim's payment within the window
    m3 = alerts[f"account:{acc['mule3']}"]
    assert m3["heuristics"] == ["fast_pass_through"]  # the old run's signal is not evidence
    assert sorted(alerts["cluster:cl-1"]["banks"]) == ["FORTE", "KASPI"]
    m2 = alerts[f"account:{acc['mule2']}"]
    assert float(m2["priority"]) > float(m3["priority"])  # critical beats medium + heuristic

    # A second run updates the open alerts instead of raising new ones.
    rep2 = raise_alerts(world, db, AlertConfig(), as_of=NOW + 3600)
    assert (rep2.raised, rep2.updated) == (0, 4)
    assert len(_alerts(world, db)) == 4


def test_dismissal_holds_until_evidence_changes(world: Driver, db: str,
                                                pseudo: Pseudonymiser) -> None:
    mule1 = pseudo("account", IBAN["mule1"])
    raise_alerts(world, db, as_of=NOW)
    world.execute_query(
        "MATCH (al:Alert {entity_key: $k}) SET al.status = 'dismissed', al.dismissed_ts = $t,"
        " al.held_evidence = al.evidence", k=f"account:{mule1}", t=NOW, database_=db)
    rep = raise_alerts(world, db, as_of=NOW + 86400)
    assert rep.raised == 0 and rep.suppressed == 1
    # New evidence: the band rises to critical -> a new alert, the dismissed one kept.
    world.execute_query("MATCH (a:Account {id: $id}) SET a.risk = 0.9, a.risk_band = 'critical'",
                        id=mule1, database_=db)
    rep = raise_alerts(world, db, as_of=NOW + 2 * 86400)
    assert rep.raised == 1
    recs, _, _ = world.execute_query(
        "MATCH (al:Alert {entity_key: $k}) RETURN al.status AS s, al.raise_reasons AS why "
        "ORDER BY al.raised_ts", k=f"account:{mule1}", database_=db)
    assert [r["s"] for r in recs] == ["dismissed", "open"]
    assert any("high -> critical" in w for w in recs[1]["why"])
    recs, _, _ = world.execute_query(
        "MATCH (e:HistoryEvent)-[:OF]->(al:Alert {entity_key: $k}) RETURN count(e) AS n",
        k=f"account:{mule1}", database_=db)
    assert recs[0]["n"] == 2  # one 'raised' event per alert


def test_stale_alerts_stay_open_but_not_current(world: Driver, db: str,
                                                pseudo: Pseudonymiser) -> None:
    mule1 = pseudo("account", IBAN["mule1"])
    raise_alerts(world, db, as_of=NOW)
    world.execute_query(
        "MATCH (a:Account {id: $id}) SET a.risk = 0.1, a.risk_band = 'low', a.gnn_score = 0.1 "
        "WITH a MATCH (a)-[m:IN_CLUSTER]->() DELETE m", id=mule1, database_=db)
    rep = raise_alerts(world, db, as_of=NOW + 86400)
    assert rep.stale == 1
    recs, _, _ = world.execute_query(
        "MATCH (al:Alert {entity_key: $k}) RETURN al.status AS s, al.current AS c",
        k=f"account:{mule1}", database_=db)
    assert [(r["s"], r["c"]) for r in recs] == [("open", False)]

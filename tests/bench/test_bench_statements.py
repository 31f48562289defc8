"""The API bench's own statements (cypher/bench/) on a real graph: the world marker
round-trips and the size query counts what is there."""

from __future__ import annotations

from neo4j import Driver

from cypher import statement


def test_world_marker_and_graph_size(graph: Driver, db: str) -> None:
    recs, _, _ = graph.execute_query(statement("bench/world_read"), database_=db)
    assert recs[0]["w"] is None
    graph.execute_query(statement("bench/world_mark"), w="/worlds/w1", database_=db)
    recs, _, _ = graph.execute_query(statement("bench/world_read"), database_=db)
    assert recs[0]["w"] == "/worlds/w1"
    # A Meta node outlives reset_data: leave none behind for the other tests.
    graph.execute_query("MATCH (m:Meta {key: 'bench-api-world'}) DELETE m", database_=db)
    graph.execute_query("CREATE (:Account {id: 'a1'})-[:TRANSFERRED]->(:Account {id: 'a2'})",
                        database_=db)
    recs, _, _ = graph.execute_query(statement("bench/graph_size"), database_=db)
    assert recs[0].data() == {"accounts": 2, "transfers": 1}


def test_queue_bench_alerts_are_what_the_queue_reads(graph: Driver, db: str) -> None:
    from bench.alert_queue import synthetic_alerts

    rows = synthetic_alerts(0, 30, seed=3)
    # Reached in steps or at once, a size holds the same alerts.
    assert synthetic_alerts(10, 5, seed=3) == rows[10:15]
    graph.execute_query(statement("bench/alerts_add"), rows=rows, database_=db)
    try:
        recs, _, _ = graph.execute_query(statement("bench/alerts_count"), database_=db)
        assert recs[0]["alerts"] == 30
        recs, _, _ = graph.execute_query(
            statement("alerts/queue"), statuses=["open", "in_case", "dismissed", "closed"],
            bank=None, band=None, scheme=None, kind=None, current=None, raised_after=None,
            raised_before=None, sort="money", descending=True, offset=0, limit=50,
            database_=db)
    finally:
        graph.execute_query("MATCH (al:Alert) DETACH DELETE al", database_=db)
    items = recs[0]["items"]
    assert recs[0]["total"] == 30 and len(items) == 30
    money = [a["money_kzt"] for a in items]
    assert money == sorted(money, reverse=True)
    assert {a["id"] for a in items} == {r["id"] for r in rows}

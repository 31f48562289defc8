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

"""Worst operators of a PROFILE plan (pure)."""

from __future__ import annotations

from cypher.profiling import operators, summarise


def test_summarise_finds_worst_by_db_hits_and_rows() -> None:
    plan = {"operatorType": "ProduceResults@neo4j", "dbHits": 0, "rows": 5, "args": {},
            "children": [{"operatorType": "Filter@neo4j", "dbHits": 900, "rows": 5,
                          "args": {"Details": "a.kind <> 'merchant'"},
                          "children": [{"operatorType": "NodeByLabelScan@neo4j",
                                        "dbHits": 300, "rows": 1000, "args": {}}]}]}
    assert [o["operator"] for o in operators(plan)] == [
        "ProduceResults", "Filter", "NodeByLabelScan"]
    s = summarise(plan)
    assert s is not None
    assert s["db_hits_total"] == 1200 and s["operators"] == 3
    assert s["worst_db_hits"]["operator"] == "Filter"
    assert s["worst_db_hits"]["details"] == "a.kind <> 'merchant'"
    assert s["worst_rows"]["operator"] == "NodeByLabelScan"
    assert summarise(None) is None

"""The investigators' queries on a small ring with bystanders (real Neo4j)."""

from __future__ import annotations

import pytest
from neo4j import Driver

from cypher.catalog import parse_cypher_file
from cypher.errors import ParameterError, WriteRefusedError
from cypher.library import LibraryQuery, QueryLibrary
from tests.cypher.ring import T, build_ring


@pytest.fixture
def ring(graph: Driver, db: str) -> Driver:
    build_ring(graph, db)
    return graph


@pytest.fixture(scope="module")
def lib() -> QueryLibrary:
    return QueryLibrary.load()


def _ids(result: dict) -> set[str]:
    return {n["id"] for n in result["nodes"]}


def _edges_close(result: dict) -> bool:
    ids = _ids(result)
    return all(e["source"] in ids and e["target"] in ids for e in result["edges"])


def test_neighbourhood_one_hop(ring: Driver, db: str, lib: QueryLibrary) -> None:
    r = lib.run(ring, db, "neighbourhood", {"id": "acc_1", "hops": 1})
    assert _ids(r) == {"acc_1", "per_1", "dev_1", "acc_2", "acc_3", "acc_shop", "acc_x",
                       "inc_1"}
    assert _edges_close(r)
    # Links among the outer nodes are shown too (acc_2 paid acc_3).
    assert ("TRANSFERRED", "acc_2", "acc_3") in {(e["type"], e["source"], e["target"])
                                                 for e in r["edges"]}
    acc1 = next(n for n in r["nodes"] if n["id"] == "acc_1")
    assert acc1["labels"] == ["Account"] and isinstance(acc1["props"]["opened_at"], str)


def test_neighbourhood_filters_types_time_and_size(ring: Driver, db: str,
                                                   lib: QueryLibrary) -> None:
    r = lib.run(ring, db, "neighbourhood", {"id": "acc_1", "hops": 2, "rel_types": ["USED"]})
    assert _ids(r) == {"acc_1", "dev_1", "acc_2"}
    r = lib.run(ring, db, "neighbourhood", {"id": "acc_1", "hops": 1,
                                            "rel_types": ["TRANSFERRED"], "from_ts": T - 86400})
    assert _ids(r) == {"acc_1", "acc_2", "acc_3", "acc_shop"}  # the old acc_x payment is out
    r = lib.run(ring, db, "neighbourhood", {"id": "acc_1", "hops": 4, "max_nodes": 3})
    assert len(r["nodes"]) == 3 and "acc_1" in _ids(r) and _edges_close(r)
    assert lib.run(ring, db, "neighbourhood", {"id": "nobody"})["nodes"] == []
    with pytest.raises(ParameterError, match="above the maximum"):
        lib.run(ring, db, "neighbourhood", {"id": "acc_1", "hops": 5})
    with pytest.raises(ParameterError, match="not one of"):
        lib.run(ring, db, "neighbourhood", {"id": "acc_1", "rel_types": ["KNOWS"]})


def test_shortest_paths_avoid_merchants(ring: Driver, db: str, lib: QueryLibrary) -> None:
    r = lib.run(ring, db, "shortest_paths", {"source": "acc_x", "target": "acc_3"})
    assert r["paths"] == [["acc_x", "acc_1", "acc_3"]]
    assert _ids(r) == {"acc_x", "acc_1", "acc_3"} and len(r["edges"]) == 2
    r = lib.run(ring, db, "shortest_paths", {"source": "acc_x", "target": "acc_2",
                                             "rel_types": ["TRANSFERRED"],
                                             "via_merchants": True})
    assert ["acc_x", "acc_1", "acc_2"] in r["paths"]
    r = lib.run(ring, db, "shortest_paths", {"source": "acc_x", "target": "acc_3",
                                             "max_hops": 1})
    assert r["nodes"] == [] and r["paths"] == []


def test_what_links(ring: Driver, db: str, lib: QueryLibrary) -> None:
    r = lib.run(ring, db, "what_links", {"ids": ["acc_2", "acc_4", "pho_2", "nope"]})
    assert r["missing"] == ["nope"]
    assert {"acc_2", "acc_4", "pho_2", "per_1"} <= _ids(r) and _edges_close(r)
    assert r["unlinked"] == [["acc_4", "pho_2"]]  # five hops apart, more than max_hops 4
    r = lib.run(ring, db, "what_links", {"ids": ["acc_2", "acc_4"], "max_hops": 1})
    assert r["unlinked"] == [["acc_2", "acc_4"]] and r["edges"] == []
    with pytest.raises(ParameterError, match="at least 2"):
        lib.run(ring, db, "what_links", {"ids": ["acc_2"]})


def test_timeline_in_time_order(ring: Driver, db: str, lib: QueryLibrary) -> None:
    rows = lib.run(ring, db, "timeline", {"id": "acc_1"})["rows"]
    assert [r["ts"] for r in rows] == sorted(r["ts"] for r in rows)
    events = [(r["event"], r["ref"] or r["other"]) for r in rows]
    assert events[0] == ("account_opened", "acc_1")
    assert {("transfer_out", "tx_12"), ("transfer_in", "tx_31"), ("transfer_in", "tx_x1"),
            ("login_first_seen", "dev_1"), ("incident_beneficiary", "inc_1")} <= set(events)
    later = lib.run(ring, db, "timeline", {"id": "acc_1", "from_ts": T})["rows"]
    assert {r["ref"] for r in later if r["event"].startswith("transfer")} == {
        "tx_12", "tx_31", "tx_1s"}


def test_shared_identifiers(ring: Driver, db: str, lib: QueryLibrary) -> None:
    rows = lib.run(ring, db, "shared_identifiers", {"id": "acc_1"})["rows"]
    assert {(r["via_kind"], r["via_id"], r["other_id"]) for r in rows} == {
        ("device", "dev_1", "acc_2"), ("holder", "per_1", "acc_4"), ("phone", "pho_1", "per_2")}
    rows = lib.run(ring, db, "shared_identifiers", {"id": "dev_1"})["rows"]
    assert {r["other_id"] for r in rows} == {"acc_1", "acc_2"}


def test_ring_flow(ring: Driver, db: str, lib: QueryLibrary) -> None:
    r = lib.run(ring, db, "ring_flow", {"ids": ["acc_1", "acc_2", "acc_3", "nope"]})
    assert r["missing"] == ["nope"]
    assert {(e["source"], e["target"], e["props"]["total"]) for e in r["edges"]} == {
        ("acc_1", "acc_2", 100_000.0), ("acc_2", "acc_3", 90_000.0), ("acc_3", "acc_1", 80_000.0)}
    assert r["summary"]["internal_total"] == 270_000.0 and r["summary"]["members"] == 3
    acc1 = next(n for n in r["nodes"] if n["id"] == "acc_1")["props"]
    assert (acc1["out_total"], acc1["out_inside"]) == (105_000.0, 100_000.0)
    assert (acc1["in_total"], acc1["in_inside"]) == (81_000.0, 80_000.0)


def test_server_refuses_writes_even_past_the_static_check(ring: Driver, db: str) -> None:
    cf = parse_cypher_file("// @name sneaky\n// @returns rows\n// @param id id required\n"
                           "MATCH (a:Account {id: $id}) SET a.risk = 0.99 RETURN a.id AS id",
                           "sneaky.cypher")
    lib = QueryLibrary({"sneaky": LibraryQuery(cf)})  # bypasses the load-time check
    with pytest.raises(WriteRefusedError, match="refused a write"):
        lib.run(ring, db, "sneaky", {"id": "acc_1"})
    recs, _, _ = ring.execute_query("MATCH (a:Account {id: 'acc_1'}) RETURN a.risk AS r",
                                    database_=db)
    assert recs[0]["r"] is None

"""GET /v1/clusters, /v1/clusters/{id}, /v1/schemes/emerging."""

from __future__ import annotations

import pytest
from neo4j import Driver
from neo4j.exceptions import Neo4jError

from gnn.clusters import store as cluster_store
from gnn.clusters.communities import ClusterSummary
from gnn.clusters.store import write_clusters
from tests.api.conftest import Api
from tests.api.world import IBAN


def test_cluster_list_sorted_and_paged(api: Api) -> None:
    b = api.get("/v1/clusters").json()
    assert b["total"] == 2
    assert [c["id"] for c in b["items"]] == ["cl-1", "cl-2"]  # by total_kzt
    c1 = b["items"][0]
    assert c1["banks"] == ["KASPI", "FORTE"] and c1["scheme"] == "phone_fraud"
    assert c1["properties"] == {"model": "gnn-v0"}
    page = api.get("/v1/clusters?sort=size&limit=1&offset=1").json()
    assert [c["id"] for c in page["items"]] == ["cl-2"] and page["total"] == 2
    assert api.get("/v1/clusters?scheme=phone_fraud").json()["total"] == 1
    assert api.get("/v1/clusters?limit=0").status_code == 422


def test_cluster_detail_members_flows_and_drawing(api: Api) -> None:
    b = api.get("/v1/clusters/cl-1").json()
    acc = {k: api.pseudo("account", IBAN[k]) for k in ("mule1", "mule2", "mule3")}
    assert [m["id"] for m in b["members"]] == [acc["mule2"], acc["mule1"], acc["mule3"]]
    flows = {(f["src"], f["dst"]): f["total_kzt"] for f in b["flows"]}
    assert flows == {(acc["mule1"], acc["mule2"]): 100000.0,
                     (acc["mule1"], acc["mule3"]): 30000.0,
                     (acc["mule2"], acc["mule3"]): 60000.0}
    nodes = {n["id"]: n["kind"] for n in b["graph"]["nodes"]}
    dev = api.pseudo("device", "dev-bad")  # used by mule2 and mule3
    assert nodes[dev] == "device" and nodes[acc["mule1"]] == "account"
    edges = {(e["source"], e["target"], e["type"]) for e in b["graph"]["edges"]}
    assert (acc["mule2"], dev, "USED") in edges and (acc["mule3"], dev, "USED") in edges
    assert all(e["source"] in nodes and e["target"] in nodes for e in b["graph"]["edges"])
    assert b["truncated"] is False
    assert api.get("/v1/clusters/cl-1?limit=2").json()["truncated"] is True


def test_unknown_cluster_is_404(api: Api) -> None:
    r = api.get("/v1/clusters/nope")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"


def test_emerging_schemes_ranked_by_predicted_growth(api: Api) -> None:
    b = api.get("/v1/schemes/emerging").json()
    assert [(i["rank"], i["cluster"]["id"], i["score"]) for i in b["items"]] == [
        (1, "cl-1", 0.7), (2, "cl-2", 0.1)]
    assert api.get("/v1/schemes/emerging?min_score=0.5").json()["items"][0]["cluster"][
        "id"] == "cl-1"


def _ring(cid: str, members: list[str], predicted: float) -> ClusterSummary:
    return ClusterSummary(
        id=cid, members=members, size=len(members), banks=2, victims=1, total_kzt=150000.0,
        scheme="phone_fraud", first_seen_ts=1772600000.0, growth=[0.0, 1.0, 3.0],
        growth_rate=0.75, predicted_growth=predicted, bank_codes=["KASPI", "FORTE"])


def test_clusters_the_gnn_writes_are_what_the_api_reads(api: Api, neo4j_driver: Driver,
                                                        db: str) -> None:
    """The real writer, then the real reader: one schema (fraudgraph/cluster_schema.py)."""
    acc = {k: api.pseudo("account", IBAN[k]) for k in ("mule1", "mule2", "mule3", "merchant")}
    neo4j_driver.execute_query("MATCH (c:Cluster) DETACH DELETE c", database_=db)
    ring = _ring("cl-ring", [acc["mule1"], acc["mule2"], acc["mule3"]], 4.0)
    other = _ring("cl-other", [acc["merchant"], acc["mule1"]], 9.0)
    assert write_clusters(neo4j_driver, db, [ring, other], run_id="run-1") == 5
    b = api.get("/v1/clusters").json()
    got = {c["id"]: c for c in b["items"]}
    assert got["cl-ring"]["banks"] == ["FORTE", "KASPI"]
    assert got["cl-ring"]["growth"] == 0.75 and got["cl-ring"]["predicted_growth"] == 4.0
    assert got["cl-ring"]["size"] == 3 and got["cl-ring"]["first_seen_ts"] == 1772600000
    assert got["cl-ring"]["properties"]["growth_series"] == [0.0, 1.0, 3.0]
    detail = api.get("/v1/clusters/cl-ring").json()
    assert {m["id"] for m in detail["members"]} == {acc["mule1"], acc["mule2"], acc["mule3"]}
    assert [i["cluster"]["id"] for i in api.get("/v1/schemes/emerging").json()["items"]] == [
        "cl-other", "cl-ring"]
    # The next run: cl-other no longer forms. It stays as history, reachable by id, but
    # is no longer listed nor emerging, and has no members nor predicted growth.
    assert write_clusters(neo4j_driver, db, [ring], run_id="run-2") == 3
    assert [c["id"] for c in api.get("/v1/clusters").json()["items"]] == ["cl-ring"]
    assert [i["cluster"]["id"] for i in api.get("/v1/schemes/emerging").json()["items"]] == [
        "cl-ring"]
    gone = api.get("/v1/clusters/cl-other").json()
    assert gone["members"] == [] and gone["cluster"]["predicted_growth"] is None
    assert gone["cluster"]["properties"]["active"] is False


def test_a_failed_cluster_write_leaves_the_previous_run_whole(
        api: Api, neo4j_driver: Driver, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    acc = api.pseudo("account", IBAN["mule1"])
    before = api.get("/v1/clusters/cl-ring").json()["members"]
    assert len(before) == 3
    # The last step fails, after the memberships were rewritten in the same transaction.
    monkeypatch.setattr(cluster_store, "DEACTIVATE", "RETURN 1 / 0")
    with pytest.raises(Neo4jError):
        write_clusters(neo4j_driver, db, [_ring("cl-ring", [acc], 1.0)], run_id="run-3")
    assert api.get("/v1/clusters/cl-ring").json()["members"] == before


def test_no_clusters_yet_is_an_empty_list(api: Api, neo4j_driver: Driver) -> None:
    # Last in this module: removes the clusters the GNN would have written.
    neo4j_driver.execute_query("MATCH (c:Cluster) DETACH DELETE c")
    assert api.get("/v1/clusters").json() == {"items": [], "total": 0, "limit": 50,
                                              "offset": 0}
    assert api.get("/v1/schemes/emerging").json() == {"items": []}

"""GET /v1/clusters, /v1/clusters/{id}, /v1/schemes/emerging."""

from __future__ import annotations

from neo4j import Driver

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


def test_no_clusters_yet_is_an_empty_list(api: Api, neo4j_driver: Driver) -> None:
    # Last in this module: removes the clusters the GNN would have written.
    neo4j_driver.execute_query("MATCH (c:Cluster) DETACH DELETE c")
    assert api.get("/v1/clusters").json() == {"items": [], "total": 0, "limit": 50,
                                              "offset": 0}
    assert api.get("/v1/schemes/emerging").json() == {"items": []}

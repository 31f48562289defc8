"""GET /v1/clusters, /v1/clusters/{id}, /v1/schemes/emerging (clusters are written by
the GNN component; until then the lists are empty, which is not an error)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from api import deps
from api.auth import require
from api.clusters import drawing, summary
from api.db import cypher
from api.deps import GraphDep
from api.errors import NotFound
from api.explain import number
from api.models.clusters import ClusterDetail, ClusterPage, EmergingSchemes

router = APIRouter(prefix="/v1", tags=["clusters"], dependencies=[Depends(require("clusters"))])


@router.get("/clusters", response_model=ClusterPage, summary="Clusters (fraud rings)")
async def list_clusters(
    request: Request,
    graph: GraphDep,
    scheme: str | None = Query(None, max_length=64),
    min_size: int = Query(0, ge=0, le=1_000_000),
    sort: Literal["total_kzt", "size", "growth", "first_seen"] = "total_kzt",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    row = await graph.read_one(
        cypher("clusters_list"), scheme=scheme, min_size=min_size, sort=sort, limit=limit,
        offset=offset) or {"total": 0, "items": []}
    items = [summary(c) for c in row["items"]]
    deps.audit_detail(request, clusters=[c["id"] for c in items],
                      query={"scheme": scheme, "min_size": min_size, "sort": sort,
                             "limit": limit, "offset": offset})
    return {"items": items, "total": row["total"], "limit": limit, "offset": offset}


@router.get("/clusters/{cluster_id}", response_model=ClusterDetail,
            summary="One cluster: members, flows between them, a drawable subgraph",
            responses={404: {"description": "no such cluster"}})
async def get_cluster(
    request: Request,
    g: GraphDep,
    cluster_id: str = Path(min_length=1, max_length=128),
    limit: int = Query(300, ge=1, le=2000, description="most members returned"),
) -> Any:
    row = await g.read_one(cypher("cluster_get"), id=cluster_id, limit=limit)
    if row is None:
        raise NotFound(f"no cluster {cluster_id}")
    members = row["members"]
    ids = [m["id"] for m in members]
    deps.audit_detail(request, cluster=cluster_id, members=ids)
    links = await g.read_one(cypher("cluster_links"), ids=ids) or {}
    return {
        "cluster": summary(row["cluster"]),
        "members": [{"id": m["id"], "bank": m.get("bank"), "kind": m.get("kind"),
                     "risk": number(m.get("risk")),
                     "band": str(m["risk_band"]) if m.get("risk_band") else None}
                    for m in members],
        "flows": [{**f, "total_kzt": number(f["total_kzt"]) or 0.0}
                  for f in links.get("flows") or []],
        "graph": drawing(members, links),
        "truncated": int(row["n_members"]) > len(members),
    }


@router.get("/schemes/emerging", response_model=EmergingSchemes,
            summary="Clusters ranked by (predicted) growth")
async def emerging(
    request: Request,
    graph: GraphDep,
    limit: int = Query(20, ge=1, le=200),
    min_score: float = Query(0.0, ge=-1e9, le=1e9),
) -> Any:
    rows = await graph.read(cypher("schemes_emerging"), limit=limit, min_score=min_score)
    scored = [(number(r["score"]), r["cluster"]) for r in rows]
    deps.audit_detail(request, clusters=[str(c.get("id")) for _, c in scored],
                      query={"limit": limit, "min_score": min_score})
    return {"items": [{"rank": i + 1, "score": s, "cluster": summary(c)}
                      for i, (s, c) in enumerate(x for x in scored if x[0] is not None)]}

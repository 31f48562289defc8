"""Clusters in Neo4j: read the previous run's memberships, write the new clusters.

``(:Cluster {id, size, banks, victims, total_kzt, scheme, first_seen_ts, growth,
growth_rate, predicted_growth, active, updated_at})<-[:IN_CLUSTER]-(:Account)``.
A cluster that no longer forms keeps its node (history) with ``active = false`` and
loses its memberships.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from fraudgraph.db import write_batches
from gnn.clusters import ClusterSummary

READ_PREVIOUS = (
    "MATCH (c:Cluster {active: true})<-[:IN_CLUSTER]-(a:Account) "
    "RETURN c.id AS id, collect(a.id) AS members"
)
UPSERT = (
    "UNWIND $rows AS r MERGE (c:Cluster {id: r.id}) "
    "SET c.size = r.size, c.banks = r.banks, c.bank_codes = r.bank_codes, "
    "c.victims = r.victims, c.total_kzt = r.total_kzt, c.scheme = r.scheme, "
    "c.first_seen_ts = r.first_seen_ts, c.growth = r.growth, c.growth_rate = r.growth_rate, "
    "c.predicted_growth = r.predicted_growth, c.active = true, c.run_id = $run_id, "
    "c.updated_at = datetime()"
)
DETACH_MEMBERS = "MATCH (:Account)-[m:IN_CLUSTER]->(:Cluster) DELETE m"
ATTACH = (
    "UNWIND $rows AS r MATCH (c:Cluster {id: r.c}) MATCH (a:Account {id: r.a}) "
    "MERGE (a)-[:IN_CLUSTER]->(c)"
)
DEACTIVATE = (
    "MATCH (c:Cluster) WHERE c.active = true AND c.run_id <> $run_id "
    "SET c.active = false, c.size = 0, c.updated_at = datetime()"
)


def previous_clusters(driver: Driver, database: str) -> dict[str, set[str]]:
    recs, _, _ = driver.execute_query(READ_PREVIOUS, database_=database, routing_="r")
    return {str(r["id"]): set(r["members"]) for r in recs}


def read_scores(driver: Driver, database: str) -> dict[str, float]:
    """``gnn_score`` of every scored account."""
    with driver.session(database=database, default_access_mode="READ") as s:
        rec = s.run("MATCH (a:Account) WHERE a.gnn_score IS NOT NULL "
                    "RETURN collect([a.id, a.gnn_score]) AS rows").single()
    return {str(k): float(v) for k, v in (rec["rows"] if rec else [])}


def _row(c: ClusterSummary) -> dict[str, Any]:
    first = None if c.first_seen_ts != c.first_seen_ts else int(c.first_seen_ts)
    return {"id": c.id, "size": c.size, "banks": c.banks, "bank_codes": c.bank_codes,
            "victims": c.victims, "total_kzt": c.total_kzt, "scheme": c.scheme,
            "first_seen_ts": first, "growth": c.growth, "growth_rate": c.growth_rate,
            "predicted_growth": c.predicted_growth}


def write_clusters(driver: Driver, database: str, clusters: list[ClusterSummary],
                   run_id: str, batch_size: int = 5000) -> int:
    """Replace all memberships with these clusters; returns memberships written."""
    write_batches(driver, database, UPSERT, (_row(c) for c in clusters),
                  batch_size=500, params={"run_id": run_id})
    driver.execute_query(DETACH_MEMBERS, database_=database)
    n = write_batches(driver, database, ATTACH,
                      ({"c": c.id, "a": a} for c in clusters for a in c.members),
                      batch_size=batch_size)
    driver.execute_query(DEACTIVATE, run_id=run_id, database_=database)
    return n

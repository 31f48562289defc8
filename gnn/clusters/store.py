"""Clusters in Neo4j: read the previous run's memberships, write the new clusters.

The stored shape is fraudgraph/cluster_schema.py, which the API reads. A cluster that no
longer forms keeps its node (history) with ``active = false`` and loses its memberships.
One run's clusters replace the previous ones in one transaction, so a reader never sees
memberships half rewritten and a failed write leaves the previous run whole.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver, ManagedTransaction

from cypher import statement
from fraudgraph.cluster_schema import cluster_properties
from gnn.clusters.communities import ClusterSummary

READ_PREVIOUS = statement("gnn/clusters_previous")
UPSERT = statement("gnn/cluster_upsert")
DETACH_MEMBERS = statement("gnn/cluster_detach")
ATTACH = statement("gnn/cluster_attach")
DEACTIVATE = statement("gnn/cluster_deactivate")

def previous_clusters(driver: Driver, database: str) -> dict[str, set[str]]:
    recs, _, _ = driver.execute_query(READ_PREVIOUS, database_=database, routing_="r")
    return {str(r["id"]): set(r["members"]) for r in recs}


def read_scores(driver: Driver, database: str) -> dict[str, float]:
    """``gnn_score`` of every scored account."""
    with driver.session(database=database, default_access_mode="READ") as s:
        rec = s.run(statement("gnn/scores_read")).single()
    return {str(k): float(v) for k, v in (rec["rows"] if rec else [])}


def _row(c: ClusterSummary) -> dict[str, Any]:
    return cluster_properties(
        id=c.id, size=c.size, banks=c.bank_codes, victims=c.victims, total_kzt=c.total_kzt,
        scheme=c.scheme, first_seen_ts=c.first_seen_ts, growth=c.growth_rate,
        growth_series=c.growth, predicted_growth=c.predicted_growth)


def _replace(tx: ManagedTransaction, rows: list[dict[str, Any]],
             members: list[dict[str, str]], run_id: str, batch_size: int) -> int:
    for i in range(0, len(rows), 500):
        tx.run(UPSERT, rows=rows[i:i + 500], run_id=run_id).consume()
    tx.run(DETACH_MEMBERS).consume()
    n = 0
    for i in range(0, len(members), batch_size):
        summary = tx.run(ATTACH, rows=members[i:i + batch_size]).consume()
        n += summary.counters.relationships_created
    tx.run(DEACTIVATE, run_id=run_id).consume()
    return n


def write_clusters(driver: Driver, database: str, clusters: list[ClusterSummary],
                   run_id: str, batch_size: int = 5000) -> int:
    """Replace all memberships with these clusters, atomically; returns memberships
    written."""
    rows = [_row(c) for c in clusters]
    members = [{"c": c.id, "a": a} for c in clusters for a in c.members]
    with driver.session(database=database) as session:
        return int(session.execute_write(_replace, rows, members, run_id, batch_size))

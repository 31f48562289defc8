"""Graph schema: constraints and indexes from cypher/schema/schema.cypher, and its version."""

from __future__ import annotations

from neo4j import Driver

from cypher import statement

SCHEMA_VERSION = 1


def statements() -> list[str]:
    text = statement("schema/schema")
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def apply_schema(driver: Driver, database: str) -> int:
    """Create constraints and indexes (idempotent) and record the schema version."""
    stmts = statements()
    for stmt in stmts:
        driver.execute_query(stmt, database_=database)
    driver.execute_query(
        "MERGE (m:Meta {key: 'schema'}) SET m.version = $v, m.applied_at = datetime()",
        v=SCHEMA_VERSION,
        database_=database,
    )
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return len(stmts)


def schema_version(driver: Driver, database: str) -> int | None:
    recs, _, _ = driver.execute_query(
        "MATCH (m:Meta {key: 'schema'}) RETURN m.version AS v", database_=database
    )
    return recs[0]["v"] if recs else None


def reset_data(driver: Driver, database: str) -> int:
    """Delete every node and relationship in batches; constraints and indexes stay."""
    # CALL { } IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    # Relationships go first, in bounded batches: DETACH DELETE of a hub account would
    # put all of its (possibly millions of) relationships in one transaction.
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS"
        ).consume()
        summary = session.run(
            "MATCH (n) WHERE NOT n:Meta CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS"
        ).consume()
        # Where the deleted data came from (graph_loader.load) says nothing of an empty graph.
        session.run("MATCH (m:Meta {key: 'provenance'}) DELETE m").consume()
    return int(summary.counters.nodes_deleted)

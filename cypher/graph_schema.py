"""Graph schema: constraints and indexes from cypher/schema/schema.cypher, and its version."""

from __future__ import annotations

from neo4j import Driver

from cypher import statement

SCHEMA_VERSION = 2


def statements() -> list[str]:
    text = statement("schema/schema")
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def apply_schema(driver: Driver, database: str) -> int:
    """Create constraints and indexes (idempotent) and record the schema version."""
    stmts = statements()
    for stmt in stmts:
        driver.execute_query(stmt, database_=database)
    driver.execute_query(statement("schema/version_write"), v=SCHEMA_VERSION,
                         database_=database)
    driver.execute_query(statement("schema/await_indexes"), database_=database)
    return len(stmts)


def schema_version(driver: Driver, database: str) -> int | None:
    recs, _, _ = driver.execute_query(statement("schema/version_read"), database_=database)
    return recs[0]["v"] if recs else None


def reset_data(driver: Driver, database: str) -> int:
    """Delete every node and relationship in batches; constraints and indexes stay."""
    # CALL { } IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    # Relationships go first, in bounded batches (cypher/schema/reset_relationships.cypher).
    with driver.session(database=database) as session:
        session.run(statement("schema/reset_relationships")).consume()
        summary = session.run(statement("schema/reset_nodes")).consume()
        session.run(statement("schema/reset_provenance")).consume()
    return int(summary.counters.nodes_deleted)

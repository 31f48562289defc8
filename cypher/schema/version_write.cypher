// @name version_write
// @description The schema version applied (cypher/graph_schema.py SCHEMA_VERSION).
// @param v int -- the version
MERGE (m:Meta {key: 'schema'})
SET m.version = $v, m.applied_at = datetime()

// @name version_read
// @description The schema version applied, if any.
MATCH (m:Meta {key: 'schema'})
RETURN m.version AS v

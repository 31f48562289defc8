// @name meta_read
// @description The Meta records (schema version, provenance, event times, markers), which
// @description a bulk load carries across the import that replaces the store.
MATCH (m:Meta)
RETURN properties(m) AS props

// @name provenance
// @description Whether the graph ever took real feeds (sticky), and when it last loaded.
// @param key str -- the provenance Meta key
// @param real bool -- this load's directory is no generated world
MERGE (m:Meta {key: $key})
SET m.real_data = coalesce(m.real_data, false) OR $real, m.last_load_at = datetime()

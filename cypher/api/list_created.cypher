// @name list_created
// @description Who added an entry made through the API, alongside the loader's
// @description list_entries.cypher.
// @param id str required -- the list entry
// @param by str required -- the API key that added it
// @param at str required -- ISO time
MATCH (le:ListEntry {id: $id})
SET le.created_by = $by, le.created_at = $at

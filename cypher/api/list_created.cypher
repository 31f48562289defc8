// Who added an entry made through the API, alongside the loader's list_entries.cypher.
MATCH (le:ListEntry {id: $id})
SET le.created_by = $by, le.created_at = $at

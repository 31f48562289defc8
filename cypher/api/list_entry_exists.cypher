// @name list_entry_exists
// @description Does this list entry exist, on which list, and was it removed?
// @param id str required -- the list entry
OPTIONAL MATCH (le:ListEntry {id: $id})
RETURN le IS NOT NULL AS exists, le.list AS list, le.removed_at AS removed_at

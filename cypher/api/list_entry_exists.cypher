OPTIONAL MATCH (le:ListEntry {id: $id})
RETURN le IS NOT NULL AS exists, le.list AS list, le.removed_at AS removed_at

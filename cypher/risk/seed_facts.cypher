// What still makes an entity a seed (after a list entry was removed): incident
// beneficiary, and list entries in force. __LABEL__ comes from a fixed list in Python.
MATCH (n:__LABEL__ {id: $id})
OPTIONAL MATCH (i:Incident)-[:BENEFICIARY]->(n)
WITH n, count(i) > 0 AS beneficiary
OPTIONAL MATCH (le:ListEntry)-[:LISTS]->(n)
  WHERE le.removed_at IS NULL AND le.since_ts <= $now
    AND (le.until_ts IS NULL OR le.until_ts > $now)
RETURN beneficiary, collect(DISTINCT le.list) AS lists

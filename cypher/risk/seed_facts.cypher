// What still makes an entity a seed (after a list entry was removed or an incident
// retracted): beneficiary of an incident that stands, at the largest weight any of them
// gives (below 1 while the AFC has not confirmed a bank's report about another bank's
// customer), and list entries in force. __LABEL__ comes from a fixed list in Python.
MATCH (n:__LABEL__ {id: $id})
OPTIONAL MATCH (i:Incident)-[r:BENEFICIARY]->(n)
  WHERE i.retracted_at IS NULL
// An unmatched OPTIONAL MATCH leaves r null: no standing incident, no weight.
WITH n, max(CASE WHEN r IS NULL THEN null ELSE coalesce(r.seed_weight, 1.0) END) AS beneficiary
OPTIONAL MATCH (le:ListEntry)-[:LISTS]->(n)
  WHERE le.removed_at IS NULL AND le.since_ts <= $now
    AND (le.until_ts IS NULL OR le.until_ts > $now)
RETURN beneficiary, collect(DISTINCT le.list) AS lists

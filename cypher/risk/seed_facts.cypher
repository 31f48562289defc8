// @name seed_facts
// @description What still makes an entity a seed (after a list entry was removed or an
// @description incident retracted): beneficiary of an incident that stands, at the largest
// @description weight any of them gives, and list entries in force.
// @template LABEL -- the entity's label, from a fixed list in gnn/propagation/engine.py
// @param id id required -- the entity
// @param now ts required -- the time list entries are in force at (epoch seconds)
//
// The weight is below 1 while the AFC has not confirmed a bank's report about another
// bank's customer. $$LABEL$$ comes from a fixed list in Python.
MATCH (n:$$LABEL$$ {id: $id})
OPTIONAL MATCH (i:Incident)-[r:BENEFICIARY]->(n)
  WHERE i.retracted_at IS NULL
// An unmatched OPTIONAL MATCH leaves r null: no standing incident, no weight.
WITH n, max(CASE WHEN r IS NULL THEN null ELSE coalesce(r.seed_weight, 1.0) END) AS beneficiary
OPTIONAL MATCH (le:ListEntry)-[:LISTS]->(n)
  WHERE le.removed_at IS NULL AND le.since_ts <= $now
    AND (le.until_ts IS NULL OR le.until_ts > $now)
RETURN beneficiary, collect(DISTINCT le.list) AS lists

// @name incident_retract
// @description An incident is retracted (a mistaken or false report): kept, marked, and no
// @description longer evidence. Returns the beneficiaries no other active incident names,
// @description whose seeds are withdrawn.
// @param id str required -- the incident
// @param at str required -- ISO time of the retraction
// @param by str required -- the API key that retracted it
// @param reason str required -- why (scrubbed free text)
//
// Only once: a retracted incident is not found again.
MATCH (i:Incident {id: $id})
WHERE i.retracted_at IS NULL
SET i.retracted_at = $at, i.retracted_by = $by, i.retracted_reason = $reason
WITH i
OPTIONAL MATCH (i)-[:BENEFICIARY]->(b:Account)
WITH i, collect(b) AS bs
RETURN i.id AS id,
       [x IN bs WHERE NOT EXISTS {
          MATCH (j:Incident)-[:BENEFICIARY]->(x) WHERE j <> i AND j.retracted_at IS NULL }
        | x.id] AS withdrawn

// @name incident_confirm
// @description The AFC confirms an incident: every beneficiary seeds at full weight from now
// @description on. Returns the beneficiaries that were pending (seeded at a reduced weight
// @description until now).
// @param id str required -- the incident
// @param at str required -- ISO time of the confirmation
// @param by str required -- the API key that confirmed it
MATCH (i:Incident {id: $id})
WHERE i.retracted_at IS NULL
SET i.confirmed = true, i.confirmed_at = $at, i.confirmed_by = $by
WITH i
OPTIONAL MATCH (i)-[r:BENEFICIARY]->(b:Account)
WHERE r.confirmed = false
SET r.confirmed = true, r.seed_weight = 1.0
RETURN i.id AS id, collect(b.id) AS confirmed

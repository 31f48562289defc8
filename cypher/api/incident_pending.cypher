// @name incident_pending
// @description After a bank's report: its beneficiaries at other banks seed at a reduced
// @description weight until the AFC confirms the incident.
// @param id str required -- the incident
// @param by str required -- the API key that reported it
// @param pending list[id] required -- the beneficiaries at other banks
// @param weight float required range 0..1 -- their reduced seed weight
MATCH (i:Incident {id: $id})
SET i.created_by = $by, i.confirmed = size($pending) = 0
WITH i
UNWIND $pending AS bid
MATCH (i)-[r:BENEFICIARY]->(:Account {id: bid})
SET r.confirmed = false, r.seed_weight = $weight
RETURN count(r) AS pending

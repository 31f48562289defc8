// After a bank's report: its beneficiaries at other banks seed at a reduced weight until
// the AFC confirms the incident ($pending: their ids; $weight: the reduced weight).
MATCH (i:Incident {id: $id})
SET i.created_by = $by, i.confirmed = size($pending) = 0
WITH i
UNWIND $pending AS bid
MATCH (i)-[r:BENEFICIARY]->(:Account {id: bid})
SET r.confirmed = false, r.seed_weight = $weight
RETURN count(r) AS pending

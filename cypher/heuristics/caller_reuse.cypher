// @name caller_reuse
// @title A caller number reused across incidents
// @description A phone named as the caller in at least min_incidents incidents reported in
// @description the window, with different victims.
// @scheme phone_fraud
// @severity high
// @entity phone
// @param min_incidents int = 2 range 2..1000 -- incidents naming the caller to fire
//
// Anchor: incidents reported in the window (incident_reported index).
MATCH (i:Incident)
WHERE i.reported_at >= datetime({epochSeconds: $as_of - $window_s})
  AND i.reported_at <= datetime({epochSeconds: $as_of})
MATCH (i)-[:CALLER]->(ph:Phone)
MATCH (i)-[:VICTIM]->(v:Account)
WITH ph, collect(DISTINCT i.id) AS incs, count(DISTINCT v) AS victims
WHERE size(incs) >= $min_incidents AND victims >= $min_incidents
RETURN 'phone' AS entity_kind, ph.id AS entity_id,
       toFloat(victims) / (victims + 1) AS score,
       incs[..$max_evidence] AS evidence

// @name close_alerts
// @description A closed case closes its alerts: each keeps the evidence it was closed on,
// @description which holds the entity back from new alerts until that evidence changes.
// @param id str required -- the case
// @param verdict str required -- the case's verdict
// @param now_ts ts required -- when (epoch seconds)
// @param by str required -- who closed it
MATCH (c:Case {id: $id})-[:HAS_ALERT]->(al:Alert)
SET al.status = 'closed', al.verdict = $verdict, al.closed_ts = $now_ts,
    al.closed_by = $by, al.held_evidence = al.evidence, al.updated_ts = $now_ts
RETURN count(al) AS n

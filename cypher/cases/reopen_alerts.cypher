// @name reopen_alerts
// @description A reopened case takes its alerts back; their verdict is withdrawn.
// @param id str required -- the case
// @param now_ts ts required -- when (epoch seconds)
MATCH (c:Case {id: $id})-[:HAS_ALERT]->(al:Alert)
SET al.status = 'in_case', al.verdict = null, al.closed_ts = null, al.closed_by = null,
    al.held_evidence = null, al.updated_ts = $now_ts
RETURN count(al) AS n

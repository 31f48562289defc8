// @name link_alerts
// @description Alerts into a case: each becomes in_case, and the case takes their banks.
// @param id str required -- the case
// @param alerts list[str] required -- the alerts' ids
// @param now_ts ts required -- when (epoch seconds)
MATCH (c:Case {id: $id})
UNWIND $alerts AS aid
MATCH (al:Alert {id: aid})
MERGE (c)-[:HAS_ALERT]->(al)
SET al.status = 'in_case', al.case_id = c.id, al.updated_ts = $now_ts,
    c.banks = reduce(b = coalesce(c.banks, []), x IN coalesce(al.banks, []) |
                     CASE WHEN x IN b THEN b ELSE b + x END)
RETURN count(al) AS n

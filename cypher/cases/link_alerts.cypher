// Alerts into a case. Params: $id (case), $alerts (ids), $now_ts.
MATCH (c:Case {id: $id})
UNWIND $alerts AS aid
MATCH (al:Alert {id: aid})
MERGE (c)-[:HAS_ALERT]->(al)
SET al.status = 'in_case', al.case_id = c.id, al.updated_ts = $now_ts,
    c.banks = reduce(b = coalesce(c.banks, []), x IN coalesce(al.banks, []) |
                     CASE WHEN x IN b THEN b ELSE b + x END)
RETURN count(al) AS n

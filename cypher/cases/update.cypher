// @name update
// @description A case's new state after a transition (closed: with the closing time and who).
// @param id str required -- the case
// @param status str required -- the new status
// @param assignee str = null -- the investigator
// @param verdict str = null -- the verdict, once given
// @param scheme str = null -- the scheme, once known
// @param now_ts ts required -- when (epoch seconds)
// @param by str required -- who changed it
MATCH (c:Case {id: $id})
SET c.status = $status, c.assignee = $assignee, c.verdict = $verdict, c.scheme = $scheme,
    c.updated_ts = $now_ts, c.updated_by = $by,
    c.closed_ts = CASE WHEN $status = 'closed' THEN $now_ts ELSE null END,
    c.closed_by = CASE WHEN $status = 'closed' THEN $by ELSE null END

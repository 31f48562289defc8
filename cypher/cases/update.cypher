// A case's new state after a transition. Params: $id, $status, $assignee, $verdict,
// $scheme, $now_ts, $by.
MATCH (c:Case {id: $id})
SET c.status = $status, c.assignee = $assignee, c.verdict = $verdict, c.scheme = $scheme,
    c.updated_ts = $now_ts, c.updated_by = $by,
    c.closed_ts = CASE WHEN $status = 'closed' THEN $now_ts ELSE null END,
    c.closed_by = CASE WHEN $status = 'closed' THEN $by ELSE null END

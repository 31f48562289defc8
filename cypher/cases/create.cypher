// A new case. Params: $id, $title, $status, $assignee, $now_ts, $by.
CREATE (c:Case {id: $id, title: $title, status: $status, assignee: $assignee,
                created_ts: $now_ts, created_by: $by, updated_ts: $now_ts, version: 0,
                banks: []})
RETURN c.id AS id

// @name create
// @description A new case, with no alerts, entities or banks yet.
// @param id str required -- the case
// @param title str required -- its title
// @param status str required -- its first status
// @param assignee str = null -- the investigator, if assigned
// @param now_ts ts required -- when (epoch seconds)
// @param by str required -- who opened it
CREATE (c:Case {id: $id, title: $title, status: $status, assignee: $assignee,
                created_ts: $now_ts, created_by: $by, updated_ts: $now_ts, version: 0,
                banks: []})
RETURN c.id AS id

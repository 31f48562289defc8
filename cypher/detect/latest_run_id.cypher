// @name latest_run_id
// @description The id of the latest finished detect run.
MATCH (m:Meta {key: 'detect'})
RETURN m.latest_run_id AS id

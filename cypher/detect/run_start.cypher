// @name run_start
// @description A detect run's record, marked running (not yet the latest).
// @param run_id str -- the detect run
// @param started_at str -- ISO start time
// @param params str -- the run's parameters (JSON text)
// @param as_of int -- epoch seconds the run looks back from
// @param window_s int -- how far back it looks
// @param generation str -- this attempt of the run
MERGE (r:DetectRun {id: $run_id})
SET r.started_at = datetime($started_at), r.params = $params, r.as_of = $as_of,
    r.window_s = $window_s, r.status = 'running', r.generation = $generation,
    r.latest = coalesce(r.latest, false)

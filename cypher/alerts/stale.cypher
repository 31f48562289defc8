// @name stale
// @description Open alerts that this run did not see again: kept open (an investigator
// @description decides), but marked not current so the queue can tell.
// @param run_id str required -- the alert run
MATCH (al:Alert) WHERE al.status IN ['open', 'in_case'] AND al.seen_run <> $run_id
  AND al.current
SET al.current = false
RETURN count(al) AS n

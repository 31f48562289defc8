// Open alerts that this run did not see again: kept open (an investigator decides), but
// marked not current so the queue can tell.
// Params: $run_id.
MATCH (al:Alert) WHERE al.status IN ['open', 'in_case'] AND al.seen_run <> $run_id
  AND al.current
SET al.current = false
RETURN count(al) AS n

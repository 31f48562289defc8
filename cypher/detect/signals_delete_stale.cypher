// @name signals_delete_stale
// @description One batch of a run's signals left by an earlier attempt of it.
// @param run_id str -- the detect run
// @param generation str -- the attempt whose signals stay
// @param limit int -- batch size
MATCH (s:Signal {run_id: $run_id})
WHERE s.generation <> $generation
WITH s LIMIT $limit
DETACH DELETE s
RETURN count(*) AS n

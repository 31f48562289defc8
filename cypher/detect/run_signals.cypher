// @name run_signals
// @description (heuristic, entity_kind, entity_id, score) of every signal of one run.
// @param run_id str -- the detect run
MATCH (s:Signal {run_id: $run_id})
RETURN s.heuristic AS heuristic, s.entity_kind AS entity_kind,
       s.entity_id AS entity_id, s.score AS score

// @name signals_write
// @description One heuristic's hits on entities of one label, as Signal nodes that FLAG them.
// @template LABEL -- the entities' label, from fraudgraph.vocabulary.LABEL_OF only
// @param rows list[map] -- {id, entity_id, entity_kind, score, evidence}
// @param run_id str -- the detect run
// @param heuristic str -- the heuristic's name
// @param severity str -- the heuristic's severity
// @param created_at str -- ISO time of the write
// @param generation str -- this attempt of the run (stale signals are deleted after)
//
// $$LABEL$$ comes from fraudgraph.vocabulary.LABEL_OF only (never user input): a label
// cannot be a parameter, and a label-less MATCH would scan every node.
UNWIND $rows AS r
MATCH (e:$$LABEL$$ {id: r.entity_id})
MERGE (s:Signal {id: r.id})
SET s.run_id = $run_id, s.heuristic = $heuristic, s.severity = $severity,
    s.score = r.score, s.evidence = r.evidence, s.entity_kind = r.entity_kind,
    s.entity_id = r.entity_id, s.created_at = datetime($created_at),
    s.generation = $generation
MERGE (s)-[:FLAGS]->(e)
RETURN count(s) AS n

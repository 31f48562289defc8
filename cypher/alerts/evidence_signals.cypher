// @name evidence_signals
// @description Every signal of the latest finished detect run (cypher/signals.py names it in
// @description Meta), with the kind and id of the entity it flags.
MATCH (m:Meta {key: 'detect'})
MATCH (s:Signal {run_id: m.latest_run_id})-[:FLAGS]->(n)
RETURN CASE WHEN n:Account THEN 'account' WHEN n:Person THEN 'person'
            WHEN n:Phone THEN 'phone' WHEN n:Device THEN 'device' END AS kind,
       n.id AS id, s.heuristic AS heuristic, s.severity AS severity, s.score AS score

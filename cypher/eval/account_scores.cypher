// @name account_scores
// @description The served risk and its stored components for every account, as the API reads
// @description them (cypher/api/entity_facts.cypher): risk, gnn_score (the served model's
// @description score) and prop_score (propagation), plus the heuristics of the latest detect
// @description run.
//
// Used by bench/external.py; no parameters.
OPTIONAL MATCH (run:DetectRun) WHERE run.latest = true
WITH max(run.id) AS latest_run
MATCH (a:Account)
RETURN a.id AS id, a.risk AS risk, a.gnn_score AS gnn_score, a.prop_score AS prop_score,
       a.risk_drivers AS drivers,
       [(s:Signal)-[:FLAGS]->(a) WHERE s.run_id = latest_run
        | {heuristic: s.heuristic, score: s.score}] AS signals

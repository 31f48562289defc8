// @name gnn_scores
// @description Every account's stored GNN score (gnn/models/pipeline.py write_scores), for the risk
// @description engine to combine with propagation and heuristics.
MATCH (a:Account) WHERE a.gnn_score IS NOT NULL
RETURN a.id AS id, a.gnn_score AS score

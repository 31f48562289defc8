MATCH (a:Account) WHERE a.gnn_score IS NOT NULL
RETURN a.id AS id, a.gnn_score AS score

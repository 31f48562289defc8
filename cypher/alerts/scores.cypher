// @name scores
// @description The current GNN scores (gnn/models/pipeline.py write_scores), for the drift measure.
MATCH (a:Account) WHERE a.gnn_score IS NOT NULL
RETURN collect(a.gnn_score) AS scores

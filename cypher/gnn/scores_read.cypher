// @name scores_read
// @description ``gnn_score`` of every scored account as one list of [id, score] pairs
// @description (one list decodes faster in the driver than a record per account).
MATCH (a:Account) WHERE a.gnn_score IS NOT NULL
RETURN collect([a.id, a.gnn_score]) AS rows

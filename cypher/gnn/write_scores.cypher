// @name write_scores
// @description The GNN's score on each scored account (gnn/models/pipeline.py write_scores).
// @param rows list[list] -- [account id, score] pairs
// @param version str -- the model version that scored them
UNWIND $rows AS r
MATCH (a:Account {id: r[0]})
SET a.gnn_score = r[1], a.gnn_model = $version, a.gnn_scored_at = datetime()

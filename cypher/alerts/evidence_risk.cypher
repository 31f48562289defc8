// @name evidence_risk
// @description Entities whose combined risk (gnn/propagation/engine.py) reaches min_risk, and
// @description accounts whose GNN score reaches gnn_min: evidence for entity alerts.
// @param min_risk float required -- the combined-risk threshold
// @param gnn_min float required -- the GNN-score threshold (accounts only)
CALL () {
  MATCH (n:Account) WHERE n.risk >= $min_risk OR n.gnn_score >= $gnn_min
  RETURN 'account' AS kind, n
  UNION ALL
  MATCH (n:Person) WHERE n.risk >= $min_risk RETURN 'person' AS kind, n
  UNION ALL
  MATCH (n:Phone) WHERE n.risk >= $min_risk RETURN 'phone' AS kind, n
  UNION ALL
  MATCH (n:Device) WHERE n.risk >= $min_risk RETURN 'device' AS kind, n
}
RETURN kind, n.id AS id, n.risk AS risk, n.risk_band AS band, n.gnn_score AS gnn_score

// @name cluster_get
// @description One cluster, its highest-risk members (up to limit) and how many there are.
// @param id str required -- the cluster
// @param limit int required range 1.. -- members returned at most
MATCH (c:Cluster {id: $id})
CALL (c) {
  MATCH (a:Account)-[:IN_CLUSTER]->(c)
  RETURN count(a) AS n_members
}
CALL (c) {
  MATCH (a:Account)-[:IN_CLUSTER]->(c)
  WITH a ORDER BY coalesce(a.risk, 0.0) DESC, a.id LIMIT $limit
  RETURN collect(a {.id, .bank, .kind, .risk, .risk_band}) AS members
}
RETURN properties(c) AS cluster, n_members, members

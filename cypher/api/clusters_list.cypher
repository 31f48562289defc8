// @name clusters_list
// @description Active clusters written by the GNN component, filtered, sorted and paged, with
// @description the total.
// @param scheme str = null -- only this scheme
// @param min_size int = 0 range 0.. -- only clusters of at least this many members
// @param sort str = "total_kzt" choices total_kzt,size,growth,first_seen -- the sort key, highest first
// @param offset int = 0 range 0.. -- the page's start
// @param limit int = 50 range 1.. -- the page's size
//
// Clusters: (:Cluster)<-[:IN_CLUSTER]-(:Account), in the shape of
// fraudgraph/cluster_schema.py. Dissolved ones (active = false) are history, reachable by
// id, not listed.
CALL () {
  MATCH (c:Cluster)
  WHERE coalesce(c.active, true) AND ($scheme IS NULL OR c.scheme = $scheme)
    AND coalesce(c.size, 0) >= $min_size
  RETURN count(c) AS total
}
CALL () {
  MATCH (c:Cluster)
  WHERE coalesce(c.active, true) AND ($scheme IS NULL OR c.scheme = $scheme)
    AND coalesce(c.size, 0) >= $min_size
  WITH c, CASE $sort
            WHEN 'size' THEN toFloat(coalesce(c.size, 0))
            WHEN 'growth' THEN toFloat(coalesce(c.predicted_growth, c.growth, 0))
            WHEN 'first_seen' THEN toFloat(coalesce(c.first_seen_ts, 0))
            ELSE toFloat(coalesce(c.total_kzt, 0)) END AS key
  ORDER BY key DESC, c.id
  SKIP $offset LIMIT $limit
  RETURN collect(properties(c)) AS items
}
RETURN total, items

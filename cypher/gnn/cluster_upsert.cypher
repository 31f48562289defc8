// @name cluster_upsert
// @description One run's clusters, their properties as fraudgraph/cluster_schema.py shapes them.
// @param rows list[map] -- cluster properties, one map per cluster (with its id)
// @param run_id str -- the clustering run
//
// `+=` with a null value removes that property, so no stale value survives a rewrite.
UNWIND $rows AS r
MERGE (c:Cluster {id: r.id})
SET c += r, c.active = true, c.run_id = $run_id, c.updated_at = datetime()

// @name cluster_deactivate
// @description Clusters this run did not form again: kept as history, no longer active.
// @param run_id str -- the clustering run
MATCH (c:Cluster) WHERE c.active = true AND c.run_id <> $run_id
SET c.active = false, c.size = 0, c.predicted_growth = null, c.updated_at = datetime()

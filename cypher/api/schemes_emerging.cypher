// @name schemes_emerging
// @description Clusters ranked by how fast the GNN expects them to grow (predicted_growth,
// @description else the observed growth).
// @param min_score float required -- the least growth listed
// @param limit int required range 1.. -- clusters returned at most
//
// Clusters with neither growth, and dissolved ones, are not candidates.
MATCH (c:Cluster)
WHERE coalesce(c.active, true) AND (c.predicted_growth IS NOT NULL OR c.growth IS NOT NULL)
WITH c, toFloat(coalesce(c.predicted_growth, c.growth)) AS score
WHERE score >= $min_score
ORDER BY score DESC, c.id
LIMIT $limit
RETURN properties(c) AS cluster, score

// @name evidence_clusters
// @description Active clusters (gnn/clusters/store.py) with their members' strongest risk and
// @description score, and each membership: evidence for cluster alerts.
//
// A cluster written without `active` counts as active.
MATCH (c:Cluster) WHERE coalesce(c.active, true) AND coalesce(c.size, 0) > 0
OPTIONAL MATCH (a:Account)-[:IN_CLUSTER]->(c)
WITH c, collect(a) AS members
RETURN c.id AS id, c.size AS size, c.total_kzt AS money_kzt, c.scheme AS scheme,
       c.growth_rate AS growth_rate, coalesce(c.bank_codes, c.banks, []) AS banks,
       reduce(r = 0.0, m IN members | CASE WHEN coalesce(m.risk, 0.0) > r
                                       THEN m.risk ELSE r END) AS risk,
       [m IN members | m.id] AS members

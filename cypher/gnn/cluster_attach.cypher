// @name cluster_attach
// @description Memberships of one run's clusters.
// @param rows list[map] -- {c: cluster id, a: account id}
UNWIND $rows AS r
MATCH (c:Cluster {id: r.c})
MATCH (a:Account {id: r.a})
MERGE (a)-[:IN_CLUSTER]->(c)

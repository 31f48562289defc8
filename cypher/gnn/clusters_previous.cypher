// @name clusters_previous
// @description The active clusters' memberships, which the new run's clusters are
// @description matched against (gnn/clusters/store.py).
MATCH (c:Cluster {active: true})<-[:IN_CLUSTER]-(a:Account)
RETURN c.id AS id, collect(a.id) AS members

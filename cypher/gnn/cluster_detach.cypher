// @name cluster_detach
// @description Every cluster membership, dropped before a run writes its own.
MATCH (:Account)-[m:IN_CLUSTER]->(:Cluster)
DELETE m

// @name reset_provenance
// @description Where the deleted data came from (graph_loader.load) says nothing of an empty graph.
MATCH (m:Meta {key: 'provenance'})
DELETE m

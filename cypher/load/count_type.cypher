// @name count_type
// @description The number of relationships of one type (a count-store look-up).
// @template TYPE -- a relationship type, a literal of the caller (graph_loader.load.graph_counts)
//
// $$TYPE$$ is a literal of the caller (graph_loader.load.graph_counts), never user input.
MATCH ()-[r:$$TYPE$$]->()
RETURN count(r) AS c

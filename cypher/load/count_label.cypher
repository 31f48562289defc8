// @name count_label
// @description The number of nodes of one label (a count-store look-up).
// @template LABEL -- a label, a literal of the caller (graph_loader.load.graph_counts)
//
// $$LABEL$$ is a literal of the caller (graph_loader.load.graph_counts), never user input.
MATCH (n:$$LABEL$$)
RETURN count(n) AS c

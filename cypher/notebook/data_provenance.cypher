// @name data_provenance
// @description The data nodes in the graph and whether it ever took real feeds.
// @template COUNTS -- a sum of COUNT { (:Label) } over the vocabulary's data labels (graph_loader/notebook.py)
// @param key str -- the provenance Meta key
//
// $$COUNTS$$ is a sum of COUNT { (:Label) } over the vocabulary's data labels.
OPTIONAL MATCH (m:Meta {key: $key})
RETURN $$COUNTS$$ AS nodes, m.real_data AS real_data

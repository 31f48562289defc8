// @name export_node_ids
// @description The ids of one label's exported nodes (gnn/snapshot/export.py), in one list.
// @template LABEL -- the NodeQuery's label
// @template WHERE uses run_id -- the NodeQuery's filter over `n` (a WHERE clause or nothing)
// @param run_id str = null -- the latest detect run, for the labels that filter on it
//
// $$LABEL$$ and $$WHERE$$ are the export's NodeQuery label and filter. The node's own
// `id` (unique per label, schema.cypher) is the key, not the deprecated internal id().
MATCH (n:$$LABEL$$) $$WHERE$$
RETURN collect(n.id)

// @name export_nodes
// @description One page of a label's nodes as one list of rows [id, id, columns...]
// @description (gnn/snapshot/export.py); one big list decodes faster than a record per node.
// @template LABEL -- the NodeQuery's label
// @template COLUMNS -- the NodeQuery's expressions over `n`, each with a leading comma
// @param ids list[str] -- a page of the label's ids (export_node_ids)
//
// $$LABEL$$ is the label, $$COLUMNS$$ the NodeQuery's expressions over `n` (each with a
// leading comma). The second column is the key the snapshot names the node by.
UNWIND $ids AS i
MATCH (n:$$LABEL$$ {id: i})
RETURN collect([i, n.id$$COLUMNS$$])

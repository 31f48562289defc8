// @name export_edges
// @description One relationship type from one page of source nodes, as one list of rows
// @description [source id, target id, columns...] (gnn/snapshot/export.py).
// @template SOURCE -- the source label (an EdgeQuery's edge type)
// @template PATTERN -- the EdgeQuery's pattern from `a` to `b`
// @template WHERE uses run_id -- the EdgeQuery's filter (a WHERE clause or nothing)
// @template COLUMNS -- the EdgeQuery's column expressions, each with a leading comma
// @param ids list[str] -- a page of the source label's ids (export_node_ids)
// @param run_id str = null -- the latest detect run, for the patterns that filter on it
//
// $$SOURCE$$ is the source label, $$PATTERN$$ the EdgeQuery's pattern from `a` to `b`,
// $$WHERE$$ its filter and $$COLUMNS$$ its expressions (each with a leading comma).
UNWIND $ids AS i
MATCH (a:$$SOURCE$$ {id: i})
MATCH $$PATTERN$$ $$WHERE$$
RETURN collect([i, b.id$$COLUMNS$$])

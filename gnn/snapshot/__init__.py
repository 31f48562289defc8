"""The graph snapshot: what the graph held, read once from Neo4j and viewed as of any
cut-off time.

`graph` is the typed, in-memory snapshot; `timed` its data hash and as-of views;
`export` reads it from Neo4j (with `cache` on disk); `labels` are what was known at a
cut-off and the time split; `signals` the heuristics' scores at a cut-off; `truth` the
generated worlds' ground truth aligned with the snapshot. The lowest room of `gnn`: it
imports no other subpackage.
"""

"""Graph ML over the fraud graph, in five rooms, each importing only those before it:

- `gnn.snapshot`: the graph read from Neo4j as an in-memory snapshot, its as-of views,
  labels known at a cut-off and the time split;
- `gnn.features`: per-account feature tables as of a cut-off;
- `gnn.propagation`: risk propagation from known fraud, the learned combination of the
  components and the risk engine that serves the combined risk;
- `gnn.models`: the GNN and LightGBM with their training and metrics, and the
  train-and-score pipeline;
- `gnn.clusters`: clusters of risky entities and the emerging-scheme forecast.

`gnn.commands` and `gnn.evaluate` are the jobs the CLI runs on top of them. Below every
room: `gnn.errors`, the one error root, and `gnn.registry`, the registered model versions
(training writes them, the risk engine and monitoring read them).
"""

"""Features to models, with training: the snapshot as PyG `HeteroData` (`data`), the
heterogeneous GNNs (`hetero`), their training (`training`, `fit`, `checkpoint`), the
cross-fitted LightGBM and the baselines, the metrics, and the train-and-score pipeline
(`pipeline`) that `fraudgraph train` and `score` run.

Nothing is imported here, so that a light reader (the metrics, the cross-fitted LightGBM)
does not pull in torch. The homogeneous models of the Tolokers benchmark live in
`bench.models`.
"""

// @name nodes
// @description Every node's labels and properties but the bookkeeping labels', for a
// @description graph checksum (graph_loader/checksum.py).
// @param skip list[str] -- labels left out
MATCH (n) WHERE none(l IN labels(n) WHERE l IN $skip)
RETURN labels(n) AS labels, properties(n) AS props

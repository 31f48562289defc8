// @name relationships
// @description Every relationship as its type, its endpoints' ids and its properties,
// @description for a graph checksum (graph_loader/checksum.py).
// @param skip list[str] -- source labels left out
MATCH (a)-[r]->(b) WHERE none(l IN labels(a) WHERE l IN $skip)
RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props

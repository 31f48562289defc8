// @name constraints_read
// @description Every constraint, with the statement that creates it: a bulk load
// @description recreates them after the import replaced the store (graph_loader/bulk.py),
// @description so schema that other modules own (the API's audit chain) survives it too.
SHOW CONSTRAINTS YIELD name, createStatement
RETURN name, createStatement

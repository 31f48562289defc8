// @name reset_nodes
// @description Every node but the Meta records deleted in batches (an auto-commit transaction).
MATCH (n) WHERE NOT n:Meta
CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS

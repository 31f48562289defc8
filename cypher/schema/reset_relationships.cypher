// @name reset_relationships
// @description Every relationship deleted in bounded batches (an auto-commit transaction).
//
// Relationships go first: DETACH DELETE of a hub account would put all of its (possibly
// millions of) relationships in one transaction.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS

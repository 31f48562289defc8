// @name ping
// @description The cheapest read: the server answers queries.
RETURN 1 AS ok

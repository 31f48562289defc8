// @name node_count
// @description Whether the database holds anything but its Meta records: its number of
// @description other nodes (two count-store look-ups). A bulk load refuses a non-empty
// @description database (graph_loader/bulk.py).
CALL () { MATCH (n) RETURN count(n) AS everything }
CALL () { MATCH (m:Meta) RETURN count(m) AS meta }
RETURN everything - meta AS c

// @name meta_restore
// @description Meta records read before a bulk import (meta_read), written back after it;
// @description a record the load itself wrote since keeps its own values.
// @param rows list[map] -- each a Meta node's properties, with its key
UNWIND $rows AS r
MERGE (m:Meta {key: r.key})
ON CREATE SET m = r

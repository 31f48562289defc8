// @name audit_append
// @description Append a batch of chained events (rows in sequence order) and move the head
// @description of the hash chain to the last of them, releasing its write lock.
// @param rows list[map] required -- {seq, ts, body, prev, hash}, in sequence order
// @param seq int required -- the new head's sequence number (the last row's)
// @param hash str required -- the new head's hash (the last row's)
UNWIND $rows AS r
CREATE (:AuditEvent {seq: r.seq, ts: r.ts, body: r.body, prev: r.prev, hash: r.hash})
WITH count(*) AS n
MATCH (h:AuditHead {id: 'trail'})
SET h.seq = $seq, h.hash = $hash, h.locked_by = null
RETURN n

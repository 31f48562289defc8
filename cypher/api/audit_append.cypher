// Append a batch of chained events ($rows in sequence order) and move the head.
UNWIND $rows AS r
CREATE (:AuditEvent {seq: r.seq, ts: r.ts, body: r.body, prev: r.prev, hash: r.hash})
WITH count(*) AS n
MATCH (h:AuditHead {id: 'trail'})
SET h.seq = $seq, h.hash = $hash, h.locked_by = null
RETURN n

// @name audit_head
// @description The head of the hash chain, write-locked for the rest of the transaction:
// @description appends of all API processes are serialised here, so the chain has one order.
// @param genesis str required -- the hash a new chain starts from
// @param writer str required -- who holds the lock (for diagnosis)
MERGE (h:AuditHead {id: 'trail'})
  ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.locked_by = $writer
RETURN h.seq AS seq, h.hash AS hash

// @name audit_read
// @description A page of the trail for `fraudgraph audit verify`, in sequence order, and the
// @description head.
// @param after int required -- the last sequence number already read (0 for the start)
// @param limit int required range 1.. -- the page's size
OPTIONAL MATCH (h:AuditHead {id: 'trail'})
CALL (h) {
  MATCH (e:AuditEvent) WHERE e.seq > $after
  RETURN e {.seq, .ts, .body, .prev, .hash} AS e
  ORDER BY e.seq
  LIMIT $limit
}
RETURN h {.seq, .hash} AS head, collect(e) AS events

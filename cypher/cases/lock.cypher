// @name lock
// @description The first statement of every case change: takes the case's write lock (so two
// @description concurrent changes serialise) and returns its current state.
// @param id str required -- the case
MATCH (c:Case {id: $id})
SET c.version = coalesce(c.version, 0) + 1
RETURN c.status AS status, c.assignee AS assignee, c.verdict AS verdict,
       c.scheme AS scheme, c.version AS version

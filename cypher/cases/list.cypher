// @name list
// @description Cases, newest change first, one page, with their total; a null filter is any.
// @param status str = null -- only cases of this status
// @param assignee str = null -- only cases of this investigator
// @param bank str = null -- only cases touching this bank's customers
// @param offset int = 0 range 0.. -- the page's start
// @param limit int = 50 range 1.. -- the page's size
CALL () {
  MATCH (c:Case)
  WHERE ($status IS NULL OR c.status = $status)
    AND ($assignee IS NULL OR c.assignee = $assignee)
    AND ($bank IS NULL OR $bank IN coalesce(c.banks, []))
  RETURN count(c) AS total
}
CALL () {
  MATCH (c:Case)
  WHERE ($status IS NULL OR c.status = $status)
    AND ($assignee IS NULL OR c.assignee = $assignee)
    AND ($bank IS NULL OR $bank IN coalesce(c.banks, []))
  WITH c ORDER BY c.updated_ts DESC, c.id SKIP $offset LIMIT $limit
  RETURN collect(c {.id, .title, .status, .assignee, .verdict, .scheme, .created_ts,
                    .updated_ts, .closed_ts, .banks,
                    alerts: COUNT { (c)-[:HAS_ALERT]->() }}) AS items
}
RETURN total, items

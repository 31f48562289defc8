// Cases, newest change first, with their total. $status / $assignee / $bank null = any.
// Params: $status, $assignee, $bank, $offset, $limit.
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

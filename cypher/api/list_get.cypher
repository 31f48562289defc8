// One list, newest first. Active = started, not expired; a removed entry is expired (its
// until_ts is the removal time) and keeps removed_at/by/reason as its audit trail.
CALL () {
  MATCH (le:ListEntry {list: $list})
  WHERE $all OR (le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now))
  RETURN count(le) AS total
}
CALL () {
  MATCH (le:ListEntry {list: $list})
  WHERE $all OR (le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now))
  WITH le ORDER BY le.since_ts DESC, le.id SKIP $offset LIMIT $limit
  RETURN collect(le {.*}) AS items
}
RETURN total, items

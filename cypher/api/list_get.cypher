// @name list_get
// @description One list, newest first, paged, with the total: the active entries, or all.
// @param list str required -- the list's name
// @param all bool = false -- also inactive (expired, removed, future) entries
// @param now ts required -- the time entries are active at (epoch seconds)
// @param offset int = 0 range 0.. -- the page's start
// @param limit int = 50 range 1.. -- the page's size
//
// Active = started, not expired; a removed entry is expired (its until_ts is the removal
// time) and keeps removed_at/by/reason as its audit trail.
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

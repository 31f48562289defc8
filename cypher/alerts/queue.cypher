// @name queue
// @description The alert queue: filtered, sorted, one page, with the total and the newest
// @description alert run's time (the queue's "now" for ages). Any filter may be null (= any).
// @param statuses list[str] required -- alert statuses to include
// @param bank str = null -- only alerts touching this bank's customers
// @param band str = null -- only this risk band
// @param scheme str = null -- only this scheme
// @param kind str = null -- only this entity kind (account, person, phone, device, cluster)
// @param current bool = null -- only alerts still (or no longer) flagged by the latest run
// @param raised_after ts = null -- raised at or after (epoch seconds)
// @param raised_before ts = null -- raised before (epoch seconds)
// @param sort str = "priority" choices priority,raised,money,risk -- the sort key
// @param descending bool = true -- highest first
// @param offset int = 0 range 0.. -- the page's start
// @param limit int = 50 range 1.. -- the page's size
//
// The page is a top-k ORDER BY ... LIMIT (a heap, not a sort of every match); the total a
// separate count.
CALL () {
  MATCH (al:Alert)
  WHERE al.status IN $statuses
    AND ($bank IS NULL OR $bank IN coalesce(al.banks, []))
    AND ($band IS NULL OR al.band = $band)
    AND ($scheme IS NULL OR al.scheme = $scheme)
    AND ($kind IS NULL OR al.entity_kind = $kind)
    AND ($current IS NULL OR al.current = $current)
    AND ($raised_after IS NULL OR al.raised_ts >= $raised_after)
    AND ($raised_before IS NULL OR al.raised_ts < $raised_before)
  RETURN count(al) AS total
}
CALL () {
  MATCH (al:Alert)
  WHERE al.status IN $statuses
    AND ($bank IS NULL OR $bank IN coalesce(al.banks, []))
    AND ($band IS NULL OR al.band = $band)
    AND ($scheme IS NULL OR al.scheme = $scheme)
    AND ($kind IS NULL OR al.entity_kind = $kind)
    AND ($current IS NULL OR al.current = $current)
    AND ($raised_after IS NULL OR al.raised_ts >= $raised_after)
    AND ($raised_before IS NULL OR al.raised_ts < $raised_before)
  WITH al, CASE $sort WHEN 'raised' THEN toFloat(al.raised_ts)
                      WHEN 'money' THEN toFloat(coalesce(al.money_kzt, 0))
                      WHEN 'risk' THEN toFloat(coalesce(al.risk, al.gnn_score, 0))
                      ELSE toFloat(al.priority) END AS key
  WITH al, CASE WHEN $descending THEN -key ELSE key END AS k
  ORDER BY k, al.id
  SKIP $offset LIMIT $limit
  RETURN collect(al {.*, evidence: null, held_evidence: null}) AS items
}
OPTIONAL MATCH (r:AlertRun)
RETURN total, items, max(r.as_of) AS as_of

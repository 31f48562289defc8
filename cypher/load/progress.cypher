// Recorded in the same transaction as the batch it follows, so a resumed load skips
// exactly the rows that are already committed. `events.max_ts` lets consumers find the
// newest event time without scanning every transfer.
MERGE (lb:LoadBatch {id: $key})
SET lb.feed = $feed, lb.file = $file, lb.rows_done = $rows_done, lb.updated_at = datetime()
WITH lb
CALL (lb) {
  WITH lb WHERE $max_ts IS NOT NULL
  MERGE (m:Meta {key: 'events'})
  SET m.max_ts = CASE WHEN m.max_ts IS NULL OR $max_ts > m.max_ts THEN $max_ts ELSE m.max_ts END
}

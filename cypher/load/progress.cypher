// Step 2: the new watermark (every row up to rows_done is committed) and the ranges
// committed ahead of it, so a resumed load skips exactly the committed rows.
// `events.max_ts` lets consumers find the newest event time without scanning every transfer.
MATCH (lb:LoadBatch {id: $key})
SET lb.rows_done = $rows_done, lb.ahead = $ahead
WITH lb
CALL (lb) {
  WITH lb WHERE $max_ts IS NOT NULL
  MERGE (m:Meta {key: 'events'})
  SET m.max_ts = CASE WHEN m.max_ts IS NULL OR $max_ts > m.max_ts THEN $max_ts ELSE m.max_ts END
}

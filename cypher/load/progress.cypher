// @name progress
// @description Step 2 of a batch's progress record: the new watermark (every row up to
// @description rows_done is committed) and the ranges committed ahead of it, so a resumed load
// @description skips exactly the committed rows.
// @param key str required -- the file's LoadBatch key (feed:content hash)
// @param rows_done int required range 0.. -- the watermark
// @param ahead list[int] required -- ranges committed past the watermark, as flat (after, last) pairs
// @param max_ts int = null -- the newest event time of the batch (epoch seconds), if any
//
// `events.max_ts` lets consumers find the newest event time without scanning every transfer.
MATCH (lb:LoadBatch {id: $key})
SET lb.rows_done = $rows_done, lb.ahead = $ahead
WITH lb
CALL (lb) {
  WITH lb WHERE $max_ts IS NOT NULL
  MERGE (m:Meta {key: 'events'})
  SET m.max_ts = CASE WHEN m.max_ts IS NULL OR $max_ts > m.max_ts THEN $max_ts ELSE m.max_ts END
}

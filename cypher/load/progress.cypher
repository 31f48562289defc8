// Recorded in the same transaction as the batch it follows, so a resumed load skips
// exactly the rows that are already committed.
MERGE (lb:LoadBatch {id: $key})
SET lb.feed = $feed, lb.file = $file, lb.rows_done = $rows_done, lb.updated_at = datetime()

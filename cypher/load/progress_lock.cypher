// @name progress_lock
// @description Step 1 of a batch's progress record, in the batch's own transaction: the SET
// @description write-locks the file's LoadBatch node until commit, so concurrent writers
// @description update its watermark one after another (graph_loader/writer.py).
// @param key str required -- the file's LoadBatch key (feed:content hash)
// @param feed str required -- the feed's name
// @param file str required -- the file's name
MERGE (lb:LoadBatch {id: $key})
SET lb.feed = $feed, lb.file = $file, lb.updated_at = datetime()
RETURN lb.rows_done AS done, lb.ahead AS ahead

// Step 1 of a batch's progress record, in the batch's own transaction: the SET
// write-locks the file's LoadBatch node until commit, so concurrent writers update its
// watermark one after another (graph_loader/writer.py).
MERGE (lb:LoadBatch {id: $key})
SET lb.feed = $feed, lb.file = $file, lb.updated_at = datetime()
RETURN lb.rows_done AS done, lb.ahead AS ahead

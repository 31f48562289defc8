// @name progress_read
// @description A feed's load progress: rows committed in order, and ranges committed ahead.
// @param key str -- the LoadBatch id (feed key)
MATCH (lb:LoadBatch {id: $key})
RETURN lb.rows_done AS done, lb.ahead AS ahead

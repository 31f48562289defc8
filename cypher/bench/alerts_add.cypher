// @name alerts_add
// @description Synthetic alerts for the queue benchmark (bench/alert_queue.py): one node per row,
// @description every property of the row set on it.
// @param rows list[map] -- the alerts (bench/alert_queue.py synthetic_alerts)
UNWIND $rows AS row
CREATE (al:Alert)
SET al = row

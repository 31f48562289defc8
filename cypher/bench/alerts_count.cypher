// @name alerts_count
// @description How many alerts the queue benchmark's graph holds.
MATCH (al:Alert)
RETURN count(al) AS alerts

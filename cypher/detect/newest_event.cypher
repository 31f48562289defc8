// @name newest_event
// @description Epoch seconds of the newest transfer (transfer_at index, read backwards).
MATCH ()-[t:TRANSFERRED]->() WHERE t.at IS NOT NULL
RETURN t.at.epochSeconds AS ts ORDER BY t.at DESC LIMIT 1

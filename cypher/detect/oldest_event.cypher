// @name oldest_event
// @description Epoch seconds of the oldest transfer (transfer_at index).
MATCH ()-[t:TRANSFERRED]->() WHERE t.at IS NOT NULL
RETURN t.at.epochSeconds AS ts ORDER BY t.at ASC LIMIT 1

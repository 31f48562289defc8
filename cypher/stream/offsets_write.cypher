// @name offsets_write
// @description Step 3 of a streamed batch, after its events are written in the same
// @description transaction: the next offset to consume per (topic, partition), so a restarted or
// @description newly assigned consumer seeks there (graph_loader/stream.py) and every event
// @description lands exactly once. Offsets only move forward. `events.max_ts` as the loader
// @description keeps it (cypher/load/progress.cypher).
// @param parts list[str] required -- one map per partition: {id, next}
// @param max_ts ts -- the newest event time of the batch, or null
UNWIND $parts AS p
MATCH (o:StreamOffset {id: p.id})
SET o.next_offset = CASE WHEN o.next_offset IS NULL OR p.next > o.next_offset
                         THEN p.next ELSE o.next_offset END,
    o.updated_at = datetime()
WITH count(*) AS _
CALL () {
  WITH 1 AS one WHERE $max_ts IS NOT NULL
  MERGE (m:Meta {key: 'events'})
  SET m.max_ts = CASE WHEN m.max_ts IS NULL OR $max_ts > m.max_ts THEN $max_ts ELSE m.max_ts END
}
RETURN 0 AS done

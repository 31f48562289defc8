// @name offsets_lock
// @description Step 1 of a streamed batch, in the batch's own transaction: each (topic,
// @description partition) it holds events of gets its :StreamOffset node, write-locked by
// @description the SET until commit, and the next offset already in the graph is read back.
// @description A consumer that lost the partition in a rebalance but still writes (a zombie)
// @description then waits for the new owner and skips the events that owner committed.
// @param parts list[str] required -- one map per partition: {id, topic, partition}
UNWIND $parts AS p
MERGE (o:StreamOffset {id: p.id})
  ON CREATE SET o.topic = p.topic, o.partition = p.partition
SET o.locked_at = datetime()
RETURN o.id AS id, o.next_offset AS next_offset

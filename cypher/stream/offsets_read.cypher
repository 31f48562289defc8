// @name offsets_read
// @description The next offset to consume of each partition just assigned to a consumer
// @description (absent: nothing of it is in the graph yet; the consumer starts at the earliest).
// @param ids list[str] required -- StreamOffset ids, "<topic>:<partition>"
UNWIND $ids AS id
MATCH (o:StreamOffset {id: id})
RETURN o.id AS id, o.next_offset AS next_offset

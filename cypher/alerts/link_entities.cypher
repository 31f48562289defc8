// (:Alert)-[:ABOUT]->(entity) for new alerts of one kind; $$LABEL$$ from a fixed map.
// Params: $rows ({id, entity_id}).
UNWIND $rows AS r
MATCH (al:Alert {id: r.id})
MATCH (n:$$LABEL$$ {id: r.entity_id})
MERGE (al)-[:ABOUT]->(n)
RETURN count(*) AS n

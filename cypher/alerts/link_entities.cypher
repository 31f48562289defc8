// @name link_entities
// @description (:Alert)-[:ABOUT]->(entity) for new alerts of one kind.
// @template LABEL -- the entities' label, from a fixed map (casework.alert_store.LABELS)
// @param rows list[map] required -- {id (alert), entity_id}
UNWIND $rows AS r
MATCH (al:Alert {id: r.id})
MATCH (n:$$LABEL$$ {id: r.entity_id})
MERGE (al)-[:ABOUT]->(n)
RETURN count(*) AS n

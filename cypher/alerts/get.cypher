// One alert with its history (oldest first) and its case. Params: $id.
MATCH (al:Alert {id: $id})
OPTIONAL MATCH (c:Case)-[:HAS_ALERT]->(al)
RETURN al {.*, held_evidence: null} AS alert, c {.id, .status, .title} AS case,
       [(e:HistoryEvent)-[:OF]->(al) | e {.id, .seq, .at_ts, .by, .action, .detail}] AS history

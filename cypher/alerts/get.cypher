// @name get
// @description One alert with its history (oldest first) and its case; the held evidence is
// @description left out (internal to the re-raise rule).
// @param id str required -- the alert
MATCH (al:Alert {id: $id})
OPTIONAL MATCH (c:Case)-[:HAS_ALERT]->(al)
RETURN al {.*, held_evidence: null} AS alert, c {.id, .status, .title} AS case,
       [(e:HistoryEvent)-[:OF]->(al) | e {.id, .seq, .at_ts, .by, .action, .detail}] AS history

// Append events to alerts' or cases' history: who, when, what. Never updated or deleted.
// Params: $rows ({id, subject, at_ts, by, action, detail (JSON text)}).
UNWIND $rows AS r
OPTIONAL MATCH (a:Alert {id: r.subject})
OPTIONAL MATCH (c:Case {id: r.subject})
WITH r, coalesce(a, c) AS s WHERE s IS NOT NULL
CREATE (e:HistoryEvent {id: r.id, subject: r.subject, at_ts: r.at_ts, by: r.by,
                        action: r.action, detail: r.detail})-[:OF]->(s)
RETURN count(e) AS n

// @name history
// @description Append events to alerts' or cases' history: who, when, what. Never updated or
// @description deleted: the history is the audit trail of casework.
// @param rows list[map] required -- {id, subject, at_ts, by, action, detail (JSON text)}
//
// One row per subject per call (seq is counted before the batch).
UNWIND $rows AS r
OPTIONAL MATCH (a:Alert {id: r.subject})
OPTIONAL MATCH (c:Case {id: r.subject})
WITH r, coalesce(a, c) AS s WHERE s IS NOT NULL
// seq orders a subject's events within one second; writers hold the subject's lock.
WITH r, s, COUNT { (:HistoryEvent)-[:OF]->(s) } AS n
CREATE (e:HistoryEvent {id: r.id, subject: r.subject, seq: n + 1, at_ts: r.at_ts,
                        by: r.by, action: r.action, detail: r.detail})-[:OF]->(s)
RETURN count(e) AS n

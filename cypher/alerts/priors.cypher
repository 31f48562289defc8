// The latest alert of each entity key (kind:id), whatever its status.
// Params: $keys (list of entity keys).
UNWIND $keys AS k
MATCH (al:Alert {entity_key: k})
WITH k, al ORDER BY al.raised_ts DESC
WITH k, collect(al)[0] AS al
RETURN k AS key, al.id AS id, al.status AS status,
       coalesce(al.dismissed_ts, al.closed_ts) AS held_since_ts,
       al.held_evidence AS held_evidence

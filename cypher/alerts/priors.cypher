// Each entity key's (kind:id) open alert if it has one (there is at most one), else its
// latest alert, whatever its status. Open first: a re-raise after a hold can share the
// held alert's raised_ts (runs on unchanged data share one as-of), and the tie must not
// hand the next run the held alert.
// Params: $keys (list of entity keys).
UNWIND $keys AS k
MATCH (al:Alert {entity_key: k})
WITH k, al ORDER BY CASE WHEN al.status IN ['open', 'in_case'] THEN 0 ELSE 1 END,
                    al.raised_ts DESC
WITH k, collect(al)[0] AS al
RETURN k AS key, al.id AS id, al.status AS status,
       coalesce(al.dismissed_ts, al.closed_ts) AS held_since_ts,
       al.held_evidence AS held_evidence

// @name priors
// @description Each entity key's (kind:id) open alert if it has one (there is at most one),
// @description else its latest alert, whatever its status: what a new run compares against.
// @param keys list[str] required -- entity keys, kind:id
//
// Open first: a re-raise after a hold can share the held alert's raised_ts (runs on
// unchanged data share one as-of), and the tie must not hand the next run the held alert.
UNWIND $keys AS k
MATCH (al:Alert {entity_key: k})
WITH k, al ORDER BY CASE WHEN al.status IN ['open', 'in_case'] THEN 0 ELSE 1 END,
                    al.raised_ts DESC
WITH k, collect(al)[0] AS al
RETURN k AS key, al.id AS id, al.status AS status,
       coalesce(al.dismissed_ts, al.closed_ts) AS held_since_ts,
       al.held_evidence AS held_evidence

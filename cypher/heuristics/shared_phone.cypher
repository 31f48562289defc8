// @name shared_phone
// @title Persons who took over one number in quick succession
// @description A phone number registered (SIM events) to several different persons within
// @description a short span. Operators recycle numbers only after a long quarantine, so
// @description quick re-registration to another holder points at SIMs passed around a ring.
// @scheme dropper
// @severity medium
// @entity person
// @param min_holders int = 2 range 2..100 -- distinct holders of one number to fire
// @param max_gap_s int = 2592000 range 3600..31536000 -- longest gap between two holders' SIM events (default 30 days)
// @param max_holders int = 30 range 2..10000 -- numbers with more holders are operator test/service numbers
//
// Anchor: phones whose HAS_PHONE degree (degree store) is at least min_holders.
MATCH (ph:Phone)
WITH ph, COUNT { (ph)<-[:HAS_PHONE]-() } AS deg
WHERE deg >= $min_holders AND deg <= $max_holders
MATCH (p:Person)-[e:SIM_EVENT]->(ph)
WHERE e.ts <= $as_of
WITH ph, p, min(e.ts) AS first_ts
ORDER BY first_ts
WITH ph, collect(p) AS ps, collect(first_ts) AS ts
// Holders whose registration follows the previous holder's within max_gap_s.
WITH ph, ps, [i IN range(1, size(ps) - 1) WHERE ts[i] - ts[i - 1] <= $max_gap_s
                                          AND ts[i] >= $as_of - $window_s] AS quick
WHERE size(quick) >= $min_holders - 1
WITH ph, ps, quick, apoc.coll.toSet(reduce(acc = [], i IN quick | acc + [i - 1, i])) AS idx
UNWIND idx AS i
WITH ph, ps, size(idx) AS n, ps[i] AS p
RETURN 'person' AS entity_kind, p.id AS entity_id,
       1.0 - 0.5 ^ (n - 1) AS score,
       ([ph.id] + [x IN ps WHERE x <> p | x.id])[..$max_evidence] AS evidence

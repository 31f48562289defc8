// @name many_banks
// @title One person, new accounts in many banks
// @description A person who opened accounts in several different banks within a short
// @description span ending inside the window, and left at least min_dormant of them unused
// @description for dormant_s after opening: the dropper who collects cards to rent out.
// @description (People opening accounts for themselves start using them straight away.)
// @scheme dropper
// @severity high
// @entity person
// @param min_banks int = 3 range 2..20 -- distinct banks to fire
// @param span_s int = 1209600 range 3600..31536000 -- the opening span (default 14 days)
// @param min_dormant int = 2 range 0..20 -- accounts of the span with no transfer in dormant_s
// @param dormant_s int = 604800 range 0..31536000 -- how long a new account stays unused (default 7 days)
//
// Anchor: the account_opened index (Account.opened_at) over the window plus one span.
MATCH (a:Account)
WHERE a.opened_at >= datetime({epochSeconds: $as_of - $window_s - $span_s})
  AND a.opened_at <= datetime({epochSeconds: $as_of})
WITH DISTINCT a.holder AS holder
MATCH (p:Person {id: holder})-[:HOLDS]->(b:Account)
WHERE b.opened_ts >= $as_of - $window_s - $span_s AND b.opened_ts <= $as_of
  AND b.kind <> 'merchant'
WITH p, b ORDER BY b.opened_ts
WITH p, collect(b) AS accs
WHERE size(accs) >= $min_banks
// The best span: for each account, the banks opened within span_s after it.
UNWIND accs AS first
WITH p, first, [x IN accs WHERE x.opened_ts >= first.opened_ts
                            AND x.opened_ts <= first.opened_ts + $span_s] AS win
WITH p, first, win, size(apoc.coll.toSet([x IN win | x.bank])) AS banks
WHERE banks >= $min_banks AND first.opened_ts + $span_s >= $as_of - $window_s
WITH p, banks, win ORDER BY banks DESC
WITH p, collect(win)[0] AS win, max(banks) AS banks
WHERE size([x IN win WHERE NOT EXISTS {
              (x)-[t:TRANSFERRED]-() WHERE t.ts < x.opened_ts + $dormant_s AND t.ts <= $as_of
            }]) >= $min_dormant
RETURN 'person' AS entity_kind, p.id AS entity_id,
       toFloat(banks - $min_banks + 1) / (banks - $min_banks + 2) AS score,
       [x IN win | x.id][..$max_evidence] AS evidence

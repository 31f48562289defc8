// @name fan_in
// @title Many senders paying one account within a short span
// @description An account paid by unusually many distinct senders inside one span: at least
// @description the senders_q quantile of distinct senders per active account over the window,
// @description the payments inside span_gaps of the data's typical gaps between an account's
// @description transfers. The score grows with the senders found relative to that threshold
// @description (0.5 at it, 0.75 at twice it).
// @scheme any
// @severity medium
// @entity account
// @param min_senders int range 1.. -- override: distinct senders to fire
// @param senders_q float = 0.9 range 0..1 -- default: this quantile of distinct senders per active account
// @param floor_senders int = 3 range 2..100000 -- never fewer senders than this (the shape's minimum)
// @param span_s int range 1.. -- override: the payments within this (seconds)
// @param span_gaps float = 4 range 0..100000 -- default: this many typical gaps between an account's transfers
// @param max_degree int range 1.. -- override: accounts with more transfers are hubs, skipped
// @param max_degree_q float = 0.999 range 0..1 -- default: this quantile of transfers per active account
// @derive min_senders senders_q senders_q
// @derive span_s gaps span_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index), grouped by receiver and sender before
// any node property is read; only receivers with enough senders look for the busiest span.
MATCH (s)-[t:TRANSFERRED]->(a)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
WITH a, s, collect(t.ts) AS tss
WITH a, collect([s, tss]) AS senders
WITH a, senders, apoc.coll.max([$min_senders, $floor_senders]) AS need
WHERE size(senders) >= need AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
WITH a, need, [x IN senders WHERE x[0] <> a AND x[0].holder <> a.holder] AS senders
WITH a, need, senders, apoc.coll.toSet(apoc.coll.flatten([x IN senders | x[1]])) AS starts
// The most distinct senders inside any span_s starting at one of the payments.
UNWIND starts AS t0
WITH a, need, t0, [x IN senders WHERE any(u IN x[1] WHERE u >= t0 AND u <= t0 + $span_s)] AS inside
WITH a, need, inside ORDER BY size(inside) DESC
WITH a, need, collect(inside)[0] AS best
WHERE size(best) >= need
RETURN 'account' AS entity_kind, a.id AS entity_id,
       1.0 - 0.5 ^ (toFloat(size(best)) / need) AS score,
       [x IN best | x[0].id][..$max_evidence] AS evidence

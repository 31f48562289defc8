// @name fan_out
// @title One account paying many receivers within a short span
// @description An account paying unusually many distinct receivers inside one span: at least
// @description the receivers_q quantile of distinct receivers per active account over the window,
// @description the payments inside span_gaps of the data's typical gaps between an account's
// @description transfers. The score grows with the receivers found relative to that threshold
// @description (0.5 at it, 0.75 at twice it).
// @scheme any
// @severity medium
// @entity account
// @param min_receivers int range 1.. -- override: distinct receivers to fire
// @param receivers_q float = 0.9 range 0..1 -- default: this quantile of distinct receivers per active account
// @param floor_receivers int = 3 range 2..100000 -- never fewer receivers than this (the shape's minimum)
// @param span_s int range 1.. -- override: the payments within this (seconds)
// @param span_gaps float = 4 range 0..100000 -- default: this many typical gaps between an account's transfers
// @param max_degree int range 1.. -- override: accounts with more transfers are hubs, skipped
// @param max_degree_q float = 0.999 range 0..1 -- default: this quantile of transfers per active account
// @derive min_receivers receivers_q receivers_q
// @derive span_s gaps span_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index), grouped by sender and receiver before
// any node property is read; only senders with enough receivers look for the busiest span.
MATCH (a)-[t:TRANSFERRED]->(s)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
WITH a, s, collect(t.ts) AS tss
WITH a, collect([s, tss]) AS receivers
WITH a, receivers, apoc.coll.max([$min_receivers, $floor_receivers]) AS need
WHERE size(receivers) >= need AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
WITH a, need, [x IN receivers WHERE x[0] <> a AND x[0].holder <> a.holder] AS receivers
WITH a, need, receivers, apoc.coll.toSet(apoc.coll.flatten([x IN receivers | x[1]])) AS starts
// The most distinct receivers inside any span_s starting at one of the payments.
UNWIND starts AS t0
WITH a, need, t0, [x IN receivers WHERE any(u IN x[1] WHERE u >= t0 AND u <= t0 + $span_s)] AS inside
WITH a, need, inside ORDER BY size(inside) DESC
WITH a, need, collect(inside)[0] AS best
WHERE size(best) >= need
RETURN 'account' AS entity_kind, a.id AS entity_id,
       1.0 - 0.5 ^ (toFloat(size(best)) / need) AS score,
       [x IN best | x[0].id][..$max_evidence] AS evidence

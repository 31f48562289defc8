// @name gather_scatter
// @title Money gathered from many and scattered to many through one account
// @description An account that, around one moment, received from many distinct senders in the
// @description span before it and paid many distinct receivers in the span after it: each
// @description count at least the quantile q of distinct counterparties per active account
// @description (and floor_legs), the spans span_gaps of the data's typical gaps between an
// @description account's transfers. The score grows with the smaller side relative to its
// @description threshold (low at it, towards 1 far above it).
// @scheme any
// @severity medium
// @entity account
// @param min_senders int range 1.. -- override: distinct senders before the moment
// @param min_receivers int range 1.. -- override: distinct receivers after it
// @param q float = 0.75 range 0..1 -- default: this quantile of distinct senders (receivers) per active account
// @param floor_legs int = 3 range 2..100000 -- never fewer on either side (the shape's minimum)
// @param span_s int range 1.. -- override: each side within this of the moment (seconds)
// @param span_gaps float = 2 range 0..100000 -- default: this many typical gaps
// @param max_degree int range 1.. -- override: accounts with more transfers are hubs, skipped
// @param max_degree_q float = 0.999 range 0..1 -- default: this quantile of transfers per active account
// @derive min_senders senders_q q
// @derive min_receivers receivers_q q
// @derive span_s gaps span_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index) grouped by receiver; only receivers
// with enough senders read their outflows.
MATCH (s)-[t:TRANSFERRED]->(a)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
WITH a, s, collect(t.ts) AS tss
WITH a, collect([s, tss]) AS ins,
     apoc.coll.max([$min_senders, $floor_legs]) AS need_in,
     apoc.coll.max([$min_receivers, $floor_legs]) AS need_out
WHERE size(ins) >= need_in AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
CALL (a) {
  MATCH (a)-[o:TRANSFERRED]->(d)
  WHERE o.ts >= $as_of - $window_s AND o.ts <= $as_of AND d <> a
  WITH d, collect(o.ts) AS tss
  RETURN collect([d, tss]) AS outs
}
WITH a, ins, outs, need_in, need_out WHERE size(outs) >= need_out
UNWIND apoc.coll.toSet(apoc.coll.flatten([x IN ins | x[1]])) AS m
WITH a, need_in, need_out,
     [x IN ins WHERE any(u IN x[1] WHERE u <= m AND u >= m - $span_s)] AS before,
     [x IN outs WHERE any(u IN x[1] WHERE u >= m AND u <= m + $span_s)] AS after
WITH a, need_in, need_out, before, after,
     apoc.coll.min([toFloat(size(before)) / need_in, toFloat(size(after)) / need_out]) AS k
WHERE k >= 1.0
WITH a, before, after, k, apoc.coll.min([need_in, need_out]) AS need ORDER BY k DESC
WITH a, collect([before, after, k, need])[0] AS best
// 1 - need / (legs + 1) on the smaller side: low at the threshold, towards 1 far above it.
RETURN 'account' AS entity_kind, a.id AS entity_id, 1.0 - 1.0 / (best[2] + 1.0 / best[3]) AS score,
       ([x IN best[0] | x[0].id] + [x IN best[1] | x[0].id])[..$max_evidence] AS evidence

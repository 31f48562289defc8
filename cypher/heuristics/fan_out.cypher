// @name fan_out
// @title One account paying unusually many receivers
// @description An account paying at least as many distinct receivers in the window as the
// @description receivers_q quantile of distinct receivers per active account (and floor_receivers):
// @description the threshold is read off the same window's distribution, so it moves with the
// @description data's volumes. The score grows with the receivers relative to that threshold
// @description (1 - threshold / (receivers + 1): low at the threshold, towards 1 far above it) and with how bunched in time the payments are
// @description (the share of them inside the busiest span_gaps of the data's typical gaps).
// @scheme any
// @severity medium
// @entity account
// @param min_receivers int range 1.. -- override: distinct receivers to fire
// @param receivers_q float = 0.9 range 0..1 -- default: this quantile of distinct receivers per active account
// @param floor_receivers int = 3 range 2..100000 -- never fewer receivers than this (the shape's minimum)
// @param span_s int range 1.. -- override: the span a bunched fan fits in (seconds)
// @param span_gaps float = 4 range 0..100000 -- default: this many typical gaps
// @param max_degree int range 1.. -- override: accounts with more transfers are hubs, skipped
// @param max_degree_q float = 0.999 range 0..1 -- default: this quantile of transfers per active account
// @derive min_receivers receivers_q receivers_q
// @derive span_s gaps span_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index), grouped by sender and receiver before
// any node property is read; only senders with enough receivers look for the busiest span
// (over the first payment to each receiver, counted per start, never listed per start).
MATCH (a)-[t:TRANSFERRED]->(s)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
WITH a, s, min(t.ts) AS first_ts
WITH a, collect([s, first_ts]) AS receivers,
     apoc.coll.max([$min_receivers, $floor_receivers]) AS need
WHERE size(receivers) >= need AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
WITH a, need, [x IN receivers WHERE x[0] <> a AND coalesce(x[0].holder <> a.holder, true)] AS receivers
WHERE size(receivers) >= need
WITH a, need, receivers, [x IN receivers | x[1]] AS tss
WITH a, need, receivers,
     reduce(best = 0, u IN tss |
            apoc.coll.max([best, size([v IN tss WHERE v >= u AND v <= u + $span_s])])) AS bunch
RETURN 'account' AS entity_kind, a.id AS entity_id,
       (1.0 - toFloat(need) / (size(receivers) + 1))
         * (0.5 + 0.5 * toFloat(bunch) / size(receivers)) AS score,
       [x IN receivers | x[0].id][..$max_evidence] AS evidence

// @name fan_in
// @title Unusually many senders paying one account
// @description An account paid by at least as many distinct senders in the window as the
// @description senders_q quantile of distinct senders per active account (and floor_senders):
// @description the threshold is read off the same window's distribution, so it moves with the
// @description data's volumes. The score grows with the senders relative to that threshold
// @description (1 - threshold / (senders + 1): low at the threshold, towards 1 far above it) and with how bunched in time their payments are
// @description (the share of them inside the busiest span_gaps of the data's typical gaps).
// @scheme any
// @severity medium
// @entity account
// @param min_senders int range 1.. -- override: distinct senders to fire
// @param senders_q float = 0.9 range 0..1 -- default: this quantile of distinct senders per active account
// @param floor_senders int = 3 range 2..100000 -- never fewer senders than this (the shape's minimum)
// @param span_s int range 1.. -- override: the span a bunched fan fits in (seconds)
// @param span_gaps float = 4 range 0..100000 -- default: this many typical gaps
// @param max_degree int range 1.. -- override: accounts with more transfers are hubs, skipped
// @param max_degree_q float = 0.999 range 0..1 -- default: this quantile of transfers per active account
// @derive min_senders senders_q senders_q
// @derive span_s gaps span_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index), grouped by receiver and sender before
// any node property is read; only receivers with enough senders look for the busiest span
// (over their senders' first payments, counted per start, never listed per start).
MATCH (s)-[t:TRANSFERRED]->(a)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
WITH a, s, min(t.ts) AS first_ts
WITH a, collect([s, first_ts]) AS senders,
     apoc.coll.max([$min_senders, $floor_senders]) AS need
WHERE size(senders) >= need AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
WITH a, need, [x IN senders WHERE x[0] <> a AND coalesce(x[0].holder <> a.holder, true)] AS senders
WHERE size(senders) >= need
WITH a, need, senders, [x IN senders | x[1]] AS tss
WITH a, need, senders,
     reduce(best = 0, u IN tss |
            apoc.coll.max([best, size([v IN tss WHERE v >= u AND v <= u + $span_s])])) AS bunch
RETURN 'account' AS entity_kind, a.id AS entity_id,
       (1.0 - toFloat(need) / (size(senders) + 1))
         * (0.5 + 0.5 * toFloat(bunch) / size(senders)) AS score,
       [x IN senders | x[0].id][..$max_evidence] AS evidence

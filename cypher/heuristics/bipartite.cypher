// @name bipartite
// @title Several senders paying the same several receivers
// @description Pairs of senders that both paid at least min_shared of the same receivers, each
// @description pair of payments to a receiver within span_gaps of the data's typical gaps
// @description between an account's transfers: a block of accounts moving money between two
// @description groups. Flags the senders and the shared receivers; the score grows with the
// @description receivers shared (1 - min_shared / (shared + 1)).
// @scheme any
// @severity medium
// @entity account
// @param min_shared int = 3 range 2..1000 -- receivers both senders paid
// @param span_s int range 1.. -- override: the two payments to a receiver within this (seconds)
// @param span_gaps float = 2 range 0..100000 -- default: this many typical gaps
// @param max_degree int range 1.. -- override: receivers with more transfers are hubs, skipped
// @param max_degree_q float = 0.95 range 0..1 -- default: this quantile of transfers per active account (through the busiest the paths multiply)
// @derive span_s gaps span_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index) into non-hub receivers, then the other
// payments into the same receiver near in time; grouped by sender pair.
MATCH (s1:Account)-[t1:TRANSFERRED]->(d:Account)
WHERE t1.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t1.at <= datetime({epochSeconds: $as_of})
  AND s1 <> d AND d.kind <> 'merchant'
  AND COUNT { (d)-[:TRANSFERRED]-() } <= $max_degree
MATCH (s2:Account)-[t2:TRANSFERRED]->(d)
WHERE s2.id > s1.id AND s2 <> d AND t2.ts >= t1.ts - $span_s AND t2.ts <= t1.ts + $span_s
  AND t2.ts >= $as_of - $window_s AND t2.ts <= $as_of
WITH s1, s2, collect(DISTINCT d) AS ds
WHERE size(ds) >= $min_shared AND s1.kind <> 'merchant' AND s2.kind <> 'merchant'
WITH s1, s2, ds, 1.0 - toFloat($min_shared) / (size(ds) + 1) AS score
UNWIND [s1, s2] + ds AS x
RETURN 'account' AS entity_kind, x.id AS entity_id, score,
       [y IN [s1, s2] + ds WHERE y <> x | y.id][..$max_evidence] AS evidence

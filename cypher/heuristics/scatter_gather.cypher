// @name scatter_gather
// @title Money split over several accounts and gathered again
// @description A source pays at least min_legs distinct intermediates, each of which passes
// @description money on to one and the same sink within hop_gaps of the data's typical gaps
// @description between an account's transfers. Flags the source, the intermediates and the
// @description sink; the score grows with the legs (1 - min_legs / (legs + 1)).
// @scheme any
// @severity medium
// @entity account
// @param min_legs int = 3 range 2..1000 -- distinct intermediates between source and sink
// @param hop_s int range 1.. -- override: the onward payment within this of the inflow (seconds)
// @param hop_gaps float = 1 range 0..100000 -- default: this many typical gaps
// @param min_keep float = 0 range 0..1 -- the onward payment at least this share of the inflow
// @param max_degree int range 1.. -- override: intermediates with more transfers are hubs, skipped
// @param max_degree_q float = 0.95 range 0..1 -- default: this quantile of transfers per active account (through the busiest the paths multiply)
// @derive hop_s gaps hop_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index) into non-hub intermediates, then the
// intermediate's onward transfers inside hop_s; grouped by (source, sink).
MATCH (s:Account)-[t1:TRANSFERRED]->(m:Account)
WHERE t1.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t1.at <= datetime({epochSeconds: $as_of})
  AND s <> m AND m.kind <> 'merchant'
  AND COUNT { (m)-[:TRANSFERRED]-() } <= $max_degree
MATCH (m)-[t2:TRANSFERRED]->(d:Account)
WHERE t2.ts >= t1.ts AND t2.ts <= t1.ts + $hop_s AND t2.ts <= $as_of
  AND t2.amount >= t1.amount * $min_keep AND d <> s AND d <> m AND d.kind <> 'merchant'
WITH s, d, collect(DISTINCT m) AS ms, collect(t1.tx_id) + collect(t2.tx_id) AS txs
WHERE size(ms) >= $min_legs AND s.kind <> 'merchant'
WITH s, d, ms, txs, 1.0 - toFloat($min_legs) / (size(ms) + 1) AS score
UNWIND [s, d] + ms AS x
RETURN 'account' AS entity_kind, x.id AS entity_id, score,
       ([y IN [s, d] + ms WHERE y <> x | y.id] + txs)[..$max_evidence] AS evidence

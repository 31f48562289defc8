// @name stack
// @title Money layered through a stack of accounts
// @description Layered flows: a middle layer of accounts, each passing money from at least
// @description min_width distinct senders on to at least min_width distinct receivers, where
// @description each (sender, receiver) pair is joined through at least min_width middle
// @description accounts, the onward payment within hop_gaps of the data's typical gaps
// @description between an account's transfers. Flags the middle layer (and, at three
// @description quarters of its score, the layers around it); the score grows with the width.
// @scheme any
// @severity medium
// @entity account
// @param min_width int = 2 range 2..1000 -- accounts per layer, and middles per pair
// @param hop_s int range 1.. -- override: the onward payment within this of the inflow (seconds)
// @param hop_gaps float = 1 range 0..100000 -- default: this many typical gaps
// @param max_degree int range 1.. -- override: middle accounts with more transfers are hubs, skipped
// @param max_degree_q float = 0.95 range 0..1 -- default: this quantile of transfers per active account (through the busiest the paths multiply)
// @derive hop_s gaps hop_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index) into non-hub middles, then their
// onward transfers inside hop_s; pairs with enough middles, then middles with enough pairs.
MATCH (s:Account)-[t1:TRANSFERRED]->(m:Account)
WHERE t1.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t1.at <= datetime({epochSeconds: $as_of})
  AND s <> m AND m.kind <> 'merchant'
  AND COUNT { (m)-[:TRANSFERRED]-() } <= $max_degree
MATCH (m)-[t2:TRANSFERRED]->(d:Account)
WHERE t2.ts >= t1.ts AND t2.ts <= t1.ts + $hop_s AND t2.ts <= $as_of
  AND d <> s AND d <> m AND d.kind <> 'merchant'
WITH s, d, collect(DISTINCT m) AS ms
WHERE size(ms) >= $min_width AND s.kind <> 'merchant'
UNWIND ms AS m
WITH m, collect(DISTINCT s) AS ss, collect(DISTINCT d) AS ds
WHERE size(ss) >= $min_width AND size(ds) >= $min_width
WITH m, ss, ds,
     1.0 - toFloat($min_width) / (apoc.coll.min([size(ss), size(ds)]) + 1) AS score
UNWIND [[m, score]] + [x IN ss + ds | [x, 0.75 * score]] AS hit
WITH hit[0] AS x, max(hit[1]) AS score, collect(m.id) AS middles
RETURN 'account' AS entity_kind, x.id AS entity_id, score,
       middles[..$max_evidence] AS evidence

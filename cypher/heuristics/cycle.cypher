// @name cycle
// @title Money going round a cycle of accounts
// @description Directed cycles A -> B -> ... -> A of min_length to max_length (at most 10)
// @description accounts whose transfers all fall inside cycle_gaps of the data's typical
// @description gaps between an account's transfers (at least one grain of the timestamps:
// @description same-day transfers count on day-stamped data). With `ordered` the transfers
// @description must also follow each other round the cycle, each hop within hop_gaps of the
// @description previous (a simulator may book a ring's transfers in any order within its
// @description span, so order is not required by default). Amounts are not compared by
// @description default (min_keep 0). The score grows with the length and with how quickly
// @description the money came round.
// @scheme any
// @severity medium
// @entity account
// @param min_length int = 3 range 2..10 -- shortest cycle (2 = back-and-forth)
// @param max_length int = 10 range 2..10 -- longest cycle
// @param ordered bool = false -- the transfers follow each other round the cycle
// @param hop_s int range 1.. -- override: each hop within this of the previous (seconds)
// @param hop_gaps float = 0.5 range 0..100000 -- default: this many typical gaps
// @param cycle_s int range 1.. -- override: the whole cycle within this (seconds)
// @param cycle_gaps float = 2 range 0..100000 -- default: this many typical gaps
// @param min_keep float = 0 range 0..1 -- every hop at least this share of the first
// @param max_degree int range 1.. -- override: accounts with more transfers are hubs, skipped
// @param max_degree_q float = 0.95 range 0..1 -- default: this quantile of transfers per active account (through the busiest the paths multiply)
// @derive hop_s gaps hop_gaps
// @derive cycle_s gaps cycle_gaps
// @derive max_degree transfers_q max_degree_q
//
// Anchor: transfers in the window (transfer_at index) between non-hub accounts, each taken
// as the cycle's earliest; from each, one bounded expansion back to its sender through
// non-hub accounts and transfers inside the cycle's span (the bounds a quantified path
// checks per step: through hubs the paths multiply), then order and amounts on the few
// paths that close.
MATCH (a:Account)-[t0:TRANSFERRED]->(b:Account)
WHERE t0.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t0.at <= datetime({epochSeconds: $as_of})
  AND a <> b AND a.kind <> 'merchant' AND b.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
  AND COUNT { (b)-[:TRANSFERRED]-() } <= $max_degree
MATCH p = (b) ((x:Account)-[r:TRANSFERRED]->(y:Account)
               WHERE r.ts >= t0.ts AND r.ts <= t0.ts + $cycle_s AND r.ts <= $as_of
                 AND y.kind <> 'merchant'
                 AND COUNT { (y)-[:TRANSFERRED]-() } <= $max_degree){1,9} (a)
WITH a, t0, nodes(p) AS ring, r
WHERE size(ring) >= $min_length AND size(ring) <= $max_length
  AND size(apoc.coll.toSet(ring)) = size(ring)
  AND (NOT $ordered OR (r[0].ts <= t0.ts + $hop_s
       AND all(i IN range(1, size(r) - 1) WHERE r[i].ts >= r[i - 1].ts
                                               AND r[i].ts <= r[i - 1].ts + $hop_s)))
  AND all(x IN r WHERE x.amount >= t0.amount * $min_keep)
WITH ring, [t0.tx_id] + [x IN r | x.tx_id] AS txs,
     toFloat(apoc.coll.max([x IN r | x.ts]) - t0.ts) / $cycle_s AS took
UNWIND ring AS m
RETURN 'account' AS entity_kind, m.id AS entity_id,
       (1.0 - 0.5 ^ (size(ring) - 1)) * (1.0 - 0.5 * took) AS score,
       (txs + [n IN ring WHERE n <> m | n.id])[..$max_evidence] AS evidence

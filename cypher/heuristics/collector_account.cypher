// @name collector_account
// @title Many small payments from many payers, quickly swept out
// @description A non-merchant account receiving small payments (at most max_payment KZT each)
// @description from at least min_payers different payers in the window, whose takings are
// @description swept on to a few other people's accounts soon after they arrive (each sweep
// @description mostly fed by the payments of the preceding consolidate_s): illegal gambling
// @description and drug-shop collectors. A seller paying the monthly rent is not a sweep.
// @scheme gambling
// @severity high
// @entity account
// @param min_payers int = 10 range 2..1000000 -- distinct payers of small payments
// @param max_payment float range 0.. -- override: a small payment, KZT
// @param max_payment_q float = 0.55 range 0..1 -- default: this quantile of the window's transfer amounts: a small payment is at most this
// @param min_out_ratio float = 0.7 range 0..10 -- outflow at least this share of the small inflow
// @param max_dests int = 3 range 1..1000 -- swept to at most this many accounts
// @param sweep_factor float = 1 range 0..10000 -- a sweep is at least this many average payments
// @param consolidate_s int range 1.. -- override (seconds): a sweep follows the payments feeding it within this
// @param consolidate_gaps float = 0.2 range 0..100000 -- default: this many typical gaps between an account's transfers
// @param min_fed float = 0.5 range 0..1 -- share of a sweep covered by the small payments of the preceding consolidate_s
// @param min_sweeps int = 2 range 1..10000 -- sweeps in the window
// @param max_degree int = 20000 range 10..10000000 -- accounts with more transfers are hubs, skipped
// @derive max_payment amount_q max_payment_q
// @derive consolidate_s gaps consolidate_gaps
//
// Anchor: small payments in the window (transfer_at index), counted per receiver before
// any node property is read (most small payments go to shops); only receivers with enough
// of them read their payers and sweeps.
MATCH ()-[t:TRANSFERRED]->(a)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
  AND t.amount <= $max_payment
WITH a, count(t) AS n
WHERE n >= $min_payers AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
MATCH (p:Account)-[t:TRANSFERRED]->(a)
WHERE t.ts >= $as_of - $window_s AND t.ts <= $as_of AND t.amount <= $max_payment
WITH a, count(DISTINCT p.holder) AS payers, collect([t.ts, t.amount]) AS ins
WHERE payers >= $min_payers
WITH a, payers, ins, reduce(s = 0.0, i IN ins | s + i[1]) AS inflow
// Sweeps go to other people's accounts: a seller moving takings to his own savings is not one.
MATCH (a)-[o:TRANSFERRED]->(d:Account)
WHERE o.ts >= $as_of - $window_s AND o.ts <= $as_of
  AND o.amount >= $sweep_factor * inflow / size(ins) AND coalesce(d.holder <> a.holder, true)
WITH a, payers, inflow, o, d,
     reduce(s = 0.0, i IN ins | s + CASE WHEN i[0] <= o.ts AND i[0] >= o.ts - $consolidate_s
                                         THEN i[1] ELSE 0.0 END) AS fed
WHERE fed >= $min_fed * o.amount
WITH a, payers, inflow, collect(DISTINCT d.id) AS dests, sum(o.amount) AS swept,
     collect(o.tx_id) AS sweeps
WHERE size(dests) <= $max_dests AND swept >= $min_out_ratio * inflow
  AND size(sweeps) >= $min_sweeps
RETURN 'account' AS entity_kind, a.id AS entity_id,
       toFloat(payers) / (payers + $min_payers) AS score,
       (dests + sweeps)[..$max_evidence] AS evidence

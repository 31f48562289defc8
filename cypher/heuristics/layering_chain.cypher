// @name layering_chain
// @title Victim money layered through a chain of accounts
// @description Chains victim -> A -> B -> C where each hop follows the previous within hop_s,
// @description keeps most of the amount, and the whole chain fits in chain_s. Flags A, B and C.
// @scheme dropper
// @severity high
// @entity account
// @param hop_s int range 1.. -- override (seconds): the next hop follows within this
// @param hop_gaps float = 0.03 range 0..100000 -- default: this many typical gaps between an account's transfers (at least one grain)
// @param chain_s int range 1.. -- override (seconds): the whole chain within this
// @param chain_gaps float = 0.1 range 0..100000 -- default: this many typical gaps
// @param min_keep float = 0.5 range 0..1 -- each hop carries at least this share of the previous
// @param slack_s int = 86400 range 0..2592000 -- the victim's payment within this of the incident time
// @param report_lag_s int = 604800 range 0..31536000 -- without occurred_ts, look back this far from the report
// @derive hop_s gaps hop_gaps
// @derive chain_s gaps chain_gaps
//
// Anchor: incidents reported in the window (index), then fixed-length expansions, each
// filtered by time and amount before the next one.
MATCH (i:Incident)
WHERE i.reported_at >= datetime({epochSeconds: $as_of - $window_s})
  AND i.reported_at <= datetime({epochSeconds: $as_of})
MATCH (i)-[:VICTIM]->(v:Account)-[t0:TRANSFERRED]->(a:Account)
WHERE t0.ts >= coalesce(i.occurred_ts, i.reported_ts - $report_lag_s) - $slack_s
  AND t0.ts <= coalesce(i.occurred_ts, i.reported_ts) + $slack_s
  AND a.kind <> 'merchant' AND coalesce(a.holder <> v.holder, true)
MATCH (a)-[t1:TRANSFERRED]->(b:Account)
WHERE t1.ts >= t0.ts AND t1.ts <= t0.ts + $hop_s AND t1.amount >= t0.amount * $min_keep
  AND b.kind <> 'merchant' AND b <> v
MATCH (b)-[t2:TRANSFERRED]->(c:Account)
WHERE t2.ts >= t1.ts AND t2.ts <= t1.ts + $hop_s AND t2.ts <= t0.ts + $chain_s
  AND t2.amount >= t1.amount * $min_keep AND c.kind <> 'merchant' AND c <> a AND c <> v
WITH i, [a, b, c] AS chain, [t0.tx_id, t1.tx_id, t2.tx_id] AS txs
UNWIND range(0, 2) AS pos
WITH chain[pos] AS x, pos, i, chain, txs
RETURN 'account' AS entity_kind, x.id AS entity_id,
       // The first mule is surest; deeper accounts may be legitimate sellers.
       1.0 - 0.15 * pos AS score,
       ([i.id] + txs + [y IN chain WHERE y <> x | y.id])[..$max_evidence] AS evidence

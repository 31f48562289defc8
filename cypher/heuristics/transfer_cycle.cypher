// @name transfer_cycle
// @title Money going round a cycle
// @description Cycles A -> B -> (C -> (D ->)) A of sizeable transfers in time order, each hop
// @description within hop_s of the previous and the whole cycle within cycle_s; every hop
// @description carries no more than the one before (plus a margin) and at least min_keep
// @description of the first: round-tripping, the laundering loop of a mule network.
// @scheme dropper
// @severity medium
// @entity account
// @param min_amount float range 0.. -- override: the first transfer of the cycle at least this (KZT)
// @param min_amount_q float = 0.6 range 0..1 -- default: this quantile of the window's transfer amounts the first transfer reaches
// @param hop_s int range 1.. -- override (seconds): each hop within this of the previous
// @param hop_gaps float = 0.1 range 0..100000 -- default: this many typical gaps between an account's transfers
// @param cycle_s int range 1.. -- override (seconds): the whole cycle within this
// @param cycle_gaps float = 0.5 range 0..100000 -- default: this many typical gaps
// @param min_keep float = 0.15 range 0..1 -- every hop at least this share of the first
// @param max_growth float = 1.05 range 1..100 -- a hop carries at most this multiple of the previous
// @param min_length int = 3 range 2..4 -- shortest cycle to report (2 = back-and-forth)
// @param max_degree int = 1000 range 10..10000000 -- accounts with more transfers are hubs, skipped
// @param account_kinds list[str] = ["personal"] items 1..3 choices personal,business,merchant -- kinds of account a cycle may pass (businesses trade in circles legitimately)
// @derive min_amount amount_q min_amount_q
// @derive hop_s gaps hop_gaps
// @derive cycle_s gaps cycle_gaps
//
// Anchor: sizeable transfers in the window (transfer_at index). The way round is unrolled
// into fixed hops, so each hop's time and amount bounds prune before the next expansion,
// and the closing hop back to A is a look-up between two known nodes.
MATCH ()-[t0:TRANSFERRED]->()
WHERE t0.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t0.at <= datetime({epochSeconds: $as_of})
  AND t0.amount >= $min_amount
WITH t0, startNode(t0) AS a, endNode(t0) AS b
WHERE a.kind IN $account_kinds AND b.kind IN $account_kinds AND coalesce(a.holder <> b.holder, true)
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
  AND COUNT { (b)-[:TRANSFERRED]-() } <= $max_degree
MATCH (b)-[t1:TRANSFERRED]->(c:Account)
WHERE t1.ts >= t0.ts AND t1.ts <= t0.ts + $hop_s AND c <> b
  AND t1.amount >= t0.amount * $min_keep AND t1.amount <= t0.amount * $max_growth
  AND c.kind IN $account_kinds
CALL (a, b, c, t0, t1) {
  WITH a, b, c, t0, t1 WHERE c = a AND $min_length <= 2
  RETURN [a, b] AS ring, [t0.tx_id, t1.tx_id] AS txs
  UNION
  MATCH (c)-[t2:TRANSFERRED]->(a)
  WHERE c <> a AND $min_length <= 3 AND t2.ts >= t1.ts AND t2.ts <= t1.ts + $hop_s
    AND t2.ts <= t0.ts + $cycle_s
    AND t2.amount >= t0.amount * $min_keep AND t2.amount <= t1.amount * $max_growth
  RETURN [a, b, c] AS ring, [t0.tx_id, t1.tx_id, t2.tx_id] AS txs
  UNION
  WITH a, b, c, t0, t1 WHERE c <> a AND COUNT { (c)-[:TRANSFERRED]-() } <= $max_degree
  MATCH (c)-[t2:TRANSFERRED]->(d:Account)-[t3:TRANSFERRED]->(a)
  WHERE d <> a AND d <> b AND d <> c AND d.kind IN $account_kinds
    AND t2.ts >= t1.ts AND t2.ts <= t1.ts + $hop_s
    AND t2.amount >= t0.amount * $min_keep AND t2.amount <= t1.amount * $max_growth
    AND t3.ts >= t2.ts AND t3.ts <= t2.ts + $hop_s AND t3.ts <= t0.ts + $cycle_s
    AND t3.amount >= t0.amount * $min_keep AND t3.amount <= t2.amount * $max_growth
  RETURN [a, b, c, d] AS ring, [t0.tx_id, t1.tx_id, t2.tx_id, t3.tx_id] AS txs
}
UNWIND ring AS m
RETURN 'account' AS entity_kind, m.id AS entity_id,
       0.5 + 0.5 * toFloat(size(ring) - 1) / size(ring) AS score,
       (txs + [n IN ring WHERE n <> m | n.id])[..$max_evidence] AS evidence

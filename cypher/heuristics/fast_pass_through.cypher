// @name fast_pass_through
// @title Money in, roughly the same money out within the hour
// @description Non-merchant accounts where a sizeable inflow from another person leaves again
// @description (onward transfers to others or cash-out) within dwell_s, the outflow close to
// @description the inflow, several times in the window. Moves between one's own accounts
// @description are not counted either way.
// @scheme dropper
// @severity high
// @entity account
// @param min_amount float range 0.. -- override: inflows smaller than this are ignored (KZT)
// @param min_amount_q float = 0.6 range 0..1 -- default: this quantile of the window's transfer amounts an inflow reaches
// @param dwell_s int range 1.. -- override (seconds): the outflow must follow within this
// @param dwell_gaps float = 0.008 range 0..100000 -- default: this many typical gaps between an account's transfers (at least one grain)
// @param min_ratio float = 0.8 range 0..1 -- outflow at least this share of the inflow
// @param max_ratio float = 1.05 range 1..10 -- and at most this multiple
// @param min_events int = 2 range 1..1000 -- pass-throughs in the window to fire
// @param max_degree int = 2000 range 10..1000000 -- accounts with more transfers are hubs (payroll, utilities), skipped
// @derive min_amount amount_q min_amount_q
// @derive dwell_s gaps dwell_gaps
//
// Anchor: sizeable transfers in the window (transfer_at index), grouped by receiver; only
// receivers with enough of them read their outflows, once, into a list paired in memory.
// Node and id properties are read only for the candidates, not for every transfer.
MATCH (s)-[t:TRANSFERRED]->(a)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
  AND t.amount >= $min_amount
WITH a, collect([t.ts, t.amount, t, s]) AS ins
WHERE size(ins) >= $min_events AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
WITH a, [i IN ins WHERE coalesce(i[3].holder <> a.holder, true) | i[..3]] AS ins
WHERE size(ins) >= $min_events
CALL (a) {
  MATCH (a)-[t:TRANSFERRED]->(d:Account)
  WHERE t.ts >= $as_of - $window_s AND t.ts <= $as_of + $dwell_s AND coalesce(d.holder <> a.holder, true)
  RETURN collect([t.ts, t.amount, t]) AS outs
}
WITH a, [i IN ins | [i, [o IN outs WHERE o[0] >= i[0] AND o[0] <= i[0] + $dwell_s]]] AS pairs
WITH a, [p IN pairs WHERE size(p[1]) > 0
         AND reduce(s = 0.0, o IN p[1] | s + o[1]) >= p[0][1] * $min_ratio
         AND reduce(s = 0.0, o IN p[1] | s + o[1]) <= p[0][1] * $max_ratio] AS hits
WHERE size(hits) >= $min_events
RETURN 'account' AS entity_kind, a.id AS entity_id,
       toFloat(size(hits)) / (size(hits) + 1) AS score,
       [r IN reduce(ev = [], h IN hits | ev + [h[0][2]] + [o IN h[1] | o[2]])[..$max_evidence]
        | r.tx_id] AS evidence

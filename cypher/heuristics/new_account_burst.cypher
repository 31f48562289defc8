// @name new_account_burst
// @title A new account that bursts into activity
// @description An account opened recently that lay dormant for at least min_dormant_s and
// @description then, within max_age_s of opening, has a burst of at least min_tx transfers
// @description with min_counterparties counterparties and min_volume KZT inside burst_s: a
// @description dropper's card, opened, left to age, then put to use by a ring. (Genuine new
// @description accounts are busiest in their first days, not after weeks of silence.)
// @scheme dropper
// @severity medium
// @entity account
// @param max_age_s int = 7776000 range 3600..31536000 -- the burst within this of opening (default 90 days)
// @param min_dormant_s int = 604800 range 0..31536000 -- no transfer at all in this long after opening (default 7 days)
// @param burst_s int range 1.. -- override (seconds): the burst's span
// @param burst_gaps float = 0.35 range 0..100000 -- default: this many typical gaps between an account's transfers
// @param min_tx int = 4 range 2..10000 -- transfers in the burst
// @param min_counterparties int = 3 range 1..10000 -- distinct counterparties in the burst
// @param min_volume float range 0.. -- override: KZT moved (in plus out) in the burst
// @param volume_q float = 0.7 range 0..1 -- default: this quantile of the window's single transfer amounts the burst's volume reaches
// @derive min_volume amount_q volume_q
// @derive burst_s gaps burst_gaps
//
// Anchor: the account_opened index; each new account's transfers are read once.
MATCH (a:Account)
WHERE a.opened_at >= datetime({epochSeconds: $as_of - $window_s - $max_age_s})
  AND a.opened_at <= datetime({epochSeconds: $as_of}) AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } >= $min_tx
CALL (a) {
  MATCH (a)-[t:TRANSFERRED]-(c)
  WHERE t.ts >= a.opened_ts AND t.ts <= a.opened_ts + $max_age_s AND t.ts <= $as_of
    AND t.ts >= $as_of - $window_s
  RETURN collect([t.ts, t.amount, c.id, t.tx_id]) AS evs
}
WITH a, evs WHERE size(evs) >= $min_tx
  AND NOT EXISTS { (a)-[t:TRANSFERRED]-() WHERE t.ts >= a.opened_ts
                                            AND t.ts < a.opened_ts + $min_dormant_s }
UNWIND evs AS start
WITH a, start, [e IN evs WHERE e[0] >= start[0] AND e[0] <= start[0] + $burst_s] AS win
WITH a, start, win, size(apoc.coll.toSet([e IN win | e[2]])) AS cps,
     reduce(s = 0.0, e IN win | s + e[1]) AS vol
WHERE size(win) >= $min_tx AND cps >= $min_counterparties AND vol >= $min_volume
WITH a, win, cps ORDER BY size(win) DESC
WITH a, collect(win)[0] AS win, max(cps) AS cps
RETURN 'account' AS entity_kind, a.id AS entity_id,
       toFloat(size(win)) / (size(win) + $min_tx) AS score,
       [e IN win | e[3]][..$max_evidence] AS evidence

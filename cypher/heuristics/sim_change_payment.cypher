// @name sim_change_payment
// @title A first-time payee paid right after a SIM change
// @description A transfer of at least min_amount to a payee never paid before, made within
// @description recent_s after a SIM swap or port on the payer's holder's phone. Flags the
// @description payee: the account that receives money from a likely taken-over account.
// @scheme phone_fraud
// @severity high
// @entity account
// @param recent_s int = 172800 range 600..2592000 -- payment within this after the SIM event (default 48 h)
// @param min_amount float range 0.. -- override: KZT
// @param min_amount_q float = 0.6 range 0..1 -- default: this quantile of the window's transfer amounts the payment reaches
// @param event_kinds list[str] = ["swap","port"] items 1..3 choices new_sim,swap,port -- SIM events that count
// @derive min_amount amount_q min_amount_q
//
// Anchor: SIM events of the right kind in the window (a scan of SIM_EVENT relationships,
// about one per phone: no index on relationship ts); then the holder's accounts.
MATCH (p:Person)-[e:SIM_EVENT]->(:Phone)
WHERE e.ts >= $as_of - $window_s - $recent_s AND e.ts <= $as_of AND e.kind IN $event_kinds
MATCH (p)-[:HOLDS]->(a:Account)-[t:TRANSFERRED]->(b:Account)
WHERE t.ts >= e.ts AND t.ts <= e.ts + $recent_s AND t.ts <= $as_of
  AND t.ts >= $as_of - $window_s AND t.amount >= $min_amount
  AND b.kind <> 'merchant' AND coalesce(b.holder <> a.holder, true)
  AND NOT EXISTS { (a)-[t2:TRANSFERRED]->(b) WHERE t2.ts < e.ts }
WITH b, collect(DISTINCT a.id) AS payers, collect(t.tx_id) AS txs
RETURN 'account' AS entity_kind, b.id AS entity_id,
       toFloat(size(payers)) / (size(payers) + 1) AS score,
       (payers + txs)[..$max_evidence] AS evidence

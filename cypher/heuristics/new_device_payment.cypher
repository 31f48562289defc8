// @name new_device_payment
// @title A first-time payee paid right after a new device appeared
// @description A transfer of at least min_amount to a payee never paid before, within
// @description recent_s after the payer's account was first used from a device it had not
// @description used before (the account had older devices). Flags the payee.
// @scheme phone_fraud
// @severity medium
// @entity account
// @param recent_s int = 172800 range 600..2592000 -- payment within this after the new device (default 48 h)
// @param min_amount float range 0.. -- override: KZT
// @param min_amount_q float = 0.6 range 0..1 -- default: this quantile of the window's transfer amounts the payment reaches
// @param min_account_age_s int = 2592000 range 0..31536000 -- the account had other devices for at least this long
// @derive min_amount amount_q min_amount_q
//
// Anchor: USED relationships first seen in the window (a scan of USED, about one or two
// per account) of accounts with more than one device (degree store); the older-device
// test runs last, on the few candidate payments.
MATCH (a:Account)-[u:USED]->(d:Device)
WHERE u.first_ts >= $as_of - $window_s - $recent_s AND u.first_ts <= $as_of
  AND COUNT { (a)-[:USED]->() } >= 2
MATCH (a)-[t:TRANSFERRED]->(b:Account)
WHERE t.ts >= u.first_ts AND t.ts <= u.first_ts + $recent_s AND t.ts <= $as_of
  AND t.ts >= $as_of - $window_s AND t.amount >= $min_amount
  AND b.kind <> 'merchant' AND coalesce(b.holder <> a.holder, true)
  AND NOT EXISTS { (a)-[t2:TRANSFERRED]->(b) WHERE t2.ts < u.first_ts }
CALL (a, u, d) {
  MATCH (a)-[old:USED]->(other:Device)
  WHERE other <> d AND old.first_ts <= u.first_ts - $min_account_age_s
  RETURN count(other) AS older
}
WITH a, d, t, b WHERE older > 0
WITH b, collect(DISTINCT a.id) AS payers, collect(DISTINCT d.id) AS devices,
     collect(t.tx_id) AS txs
RETURN 'account' AS entity_kind, b.id AS entity_id,
       toFloat(size(payers)) / (size(payers) + 1) AS score,
       (payers + devices + txs)[..$max_evidence] AS evidence

// @name investment_funnel
// @title Many unrelated payers, small "payouts" back
// @description A non-merchant account paid by at least min_payers different people in the
// @description window that sends small payouts back to at least min_payouts of them, each
// @description payout well below what that payer deposited: the fake-investment trust builder.
// @scheme fake_investment
// @severity high
// @entity account
// @param min_payers int = 12 range 2..100000 -- distinct payers (other holders) in the window: friends chipping in are fewer
// @param min_payouts int = 2 range 1..100000 -- payers who got money back after paying
// @param payout_ratio float = 0.3 range 0..1 -- a payout is at most this share of that payer's deposits
// @param min_deposit float range 0.. -- override: deposits below this (KZT) are ignored
// @param min_deposit_q float = 0.5 range 0..1 -- default: this quantile of the window's transfer amounts: smaller deposits are ignored
// @param max_degree int = 5000 range 10..10000000 -- accounts with more transfers are hubs, skipped
// @derive min_deposit amount_q min_deposit_q
//
// Anchor: deposits in the window (transfer_at index), grouped by receiver before any node
// property is read; only receivers with enough payers look for payouts, each a look-up
// between two known accounts.
MATCH (p)-[t:TRANSFERRED]->(a)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
  AND t.amount >= $min_deposit
WITH a, collect([p, t.amount, t.ts]) AS deposits
WHERE size(deposits) >= $min_payers AND a.kind <> 'merchant'
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
UNWIND deposits AS x
WITH a, x[0] AS p, x[1] AS amount, x[2] AS ts
WHERE coalesce(p.holder <> a.holder, true)
WITH a, p, sum(amount) AS paid, min(ts) AS first_ts
WITH a, collect([p, paid, first_ts]) AS payers
WHERE size(payers) >= $min_payers
CALL (a, payers) {
  UNWIND payers AS x
  WITH x[0] AS p, x[1] AS paid, x[2] AS first_ts
  MATCH (a)-[o:TRANSFERRED]->(p)
  WHERE o.ts > first_ts AND o.ts <= $as_of
  WITH p, paid, sum(o.amount) AS back
  WHERE back <= paid * $payout_ratio
  RETURN collect(p.id) AS paid_back
}
WITH a, payers, paid_back WHERE size(paid_back) >= $min_payouts
RETURN 'account' AS entity_kind, a.id AS entity_id,
       toFloat(size(paid_back)) / (size(paid_back) + $min_payouts) AS score,
       paid_back[..$max_evidence] AS evidence

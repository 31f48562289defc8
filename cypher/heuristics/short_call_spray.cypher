// @name short_call_spray
// @title A number spraying short calls at many people, never called back
// @description A phone that placed short calls to at least min_callees distinct numbers in the
// @description window, at least min_per_day new numbers a day while active, few of which
// @description ever called it back: the "safe account" caller pattern. (Over months anyone
// @description rings a dozen people; a caller rings dozens a day.)
// @scheme phone_fraud
// @severity medium
// @entity phone
// @param min_callees int = 5 range 2..100000 -- distinct callees with short calls
// @param max_duration_s int = 600 range 1..86400 -- a call at most this long is short
// @param max_callback_ratio float = 0.1 range 0..1 -- share of callees that called back, at most
// @param min_per_day float = 1.0 range 0.. -- distinct callees per day between its first and last call
//
// Anchor: phones whose outgoing CALLED degree (degree store) reaches min_callees.
MATCH (ph:Phone)
WHERE COUNT { (ph)-[:CALLED]->() } >= $min_callees
MATCH (ph)-[c:CALLED]->(callee:Phone)
WHERE c.ts >= $as_of - $window_s AND c.ts <= $as_of AND c.duration_s <= $max_duration_s
  AND callee <> ph
WITH ph, collect(DISTINCT callee) AS callees, min(c.ts) AS first_ts, max(c.ts) AS last_ts
WHERE size(callees) >= $min_callees
  AND size(callees) >= $min_per_day * (last_ts - first_ts) / 86400.0
WITH ph, callees,
     size([x IN callees WHERE EXISTS { (x)-[b:CALLED]->(ph) WHERE b.ts <= $as_of }]) AS callbacks
WHERE callbacks <= $max_callback_ratio * size(callees)
RETURN 'phone' AS entity_kind, ph.id AS entity_id,
       toFloat(size(callees)) / (size(callees) + $min_callees) AS score,
       [x IN callees | x.id][..$max_evidence] AS evidence

// @name list_proximity
// @title Accounts close to a black- or grey-listed entity
// @description Accounts within max_hops typed hops of an entity on a list in force at as_of
// @description (since <= as_of < until). Hop 0 is a listed account itself. Identity links
// @description (HOLDS, USED, HAS_PHONE) are followed both ways; money only downstream
// @description (sizeable transfers out of a reached account in the window), since upstream
// @description of a mule are its victims. Scores decay per hop; grey weighs less than black.
// @scheme any
// @severity medium
// @entity account
// @param lists list[str] = ["black","grey"] items 1..2 choices black,grey -- which lists count
// @param max_hops int = 2 range 0..2 -- how far from the listed entity
// @param grey_weight float = 0.6 range 0..1 -- a grey entry's weight relative to black (1.0)
// @param decay float = 0.5 range 0..1 -- score factor per hop
// @param rel_types list[str] = ["HOLDS","USED","HAS_PHONE","TRANSFERRED"] items 1..4 choices HOLDS,USED,HAS_PHONE,TRANSFERRED -- relationships the hops may use
// @param min_amount float range 0.. -- override: transfers followed downstream at least this (KZT)
// @param min_amount_q float = 0.55 range 0..1 -- default: this quantile of the window's transfer amounts a followed transfer reaches
// @param max_device_accounts int = 12 range 2..10000 -- do not pass through devices with more accounts
// @param max_degree int = 2000 range 10..10000000 -- do not pass into accounts with more transfers (hubs, bank cash accounts)
// @derive min_amount amount_q min_amount_q
//
// Anchor: list entries in force (list_entry_list index). Two explicit BFS levels per entry;
// each step reads only the frontier's typed relationships and never enters merchants,
// crowded devices or hub accounts.
MATCH (le:ListEntry)
WHERE le.list IN $lists AND le.since_ts <= $as_of
  AND (le.until_ts IS NULL OR le.until_ts > $as_of)
MATCH (le)-[:LISTS]->(e)
WHERE NOT (e:Account AND e.kind = 'merchant')
CALL (e) {
  UNWIND (CASE WHEN $max_hops >= 1 THEN [e] ELSE [] END) AS x
  CALL (x) {
    MATCH (x)-[r:HOLDS|HAS_PHONE]-(y)
    WHERE type(r) IN $rel_types
    RETURN y
    UNION
    MATCH (x)-[u:USED]-(y)
    WHERE 'USED' IN $rel_types AND u.last_ts >= $as_of - $window_s AND u.first_ts <= $as_of
      AND COUNT { (y)<-[:USED]-() } <= $max_device_accounts
      AND COUNT { (x)<-[:USED]-() } <= $max_device_accounts
    RETURN y
    UNION
    MATCH (x:Account)-[t:TRANSFERRED]->(y:Account)
    WHERE 'TRANSFERRED' IN $rel_types AND t.ts >= $as_of - $window_s AND t.ts <= $as_of
      AND t.amount >= $min_amount AND y.kind <> 'merchant'
      AND COUNT { (y)-[:TRANSFERRED]-() } <= $max_degree
    RETURN y
  }
  RETURN collect(DISTINCT y) AS l1
}
CALL (e, l1) {
  UNWIND (CASE WHEN $max_hops >= 2 THEN l1 ELSE [] END) AS x
  CALL (x) {
    MATCH (x)-[r:HOLDS|HAS_PHONE]-(y)
    WHERE type(r) IN $rel_types
    RETURN y
    UNION
    MATCH (x)-[u:USED]-(y)
    WHERE 'USED' IN $rel_types AND u.last_ts >= $as_of - $window_s AND u.first_ts <= $as_of
      AND COUNT { (y)<-[:USED]-() } <= $max_device_accounts
      AND COUNT { (x)<-[:USED]-() } <= $max_device_accounts
    RETURN y
    UNION
    MATCH (x:Account)-[t:TRANSFERRED]->(y:Account)
    WHERE 'TRANSFERRED' IN $rel_types AND t.ts >= $as_of - $window_s AND t.ts <= $as_of
      AND t.amount >= $min_amount AND y.kind <> 'merchant'
      AND COUNT { (y)-[:TRANSFERRED]-() } <= $max_degree
    RETURN y
  }
  WITH y WHERE y <> e AND NOT y IN l1
  RETURN collect(DISTINCT y) AS l2
}
UNWIND [[e, 0]] + [y IN l1 | [y, 1]] + [y IN l2 | [y, 2]] AS reached
WITH le, reached[0] AS acc, reached[1] AS hops
WHERE acc:Account AND hops <= $max_hops
WITH acc, le, min(hops) AS hops
WITH acc, collect({le: le.id, score: (CASE le.list WHEN 'black' THEN 1.0 ELSE $grey_weight END)
                                     * $decay ^ hops}) AS found
RETURN 'account' AS entity_kind, acc.id AS entity_id,
       apoc.coll.max([f IN found | f.score]) AS score,
       [f IN found | f.le][..$max_evidence] AS evidence

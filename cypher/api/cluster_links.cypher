// @name cluster_links
// @description Between the given member accounts: aggregated transfers; and what ties them
// @description together for a drawing: their holders and the devices two or more of them used.
// @param ids list[id] required -- the member accounts
CALL () {
  UNWIND $ids AS aid
  MATCH (a:Account {id: aid})-[t:TRANSFERRED]->(b:Account)
  WHERE b.id IN $ids
  WITH a.id AS src, b.id AS dst, count(t) AS n, sum(t.amount) AS total,
       min(t.ts) AS first_ts, max(t.ts) AS last_ts
  ORDER BY total DESC
  RETURN collect({src: src, dst: dst, count: n, total_kzt: total, first_ts: first_ts,
                  last_ts: last_ts}) AS flows
}
CALL () {
  UNWIND $ids AS aid
  MATCH (a:Account {id: aid})<-[:HOLDS]-(p:Person)
  RETURN collect({person: p.id, account: a.id}) AS holds
}
CALL () {
  UNWIND $ids AS aid
  MATCH (a:Account {id: aid})-[:USED]->(d:Device)
  WITH d, collect(a.id) AS accounts
  WHERE size(accounts) >= 2
  RETURN collect({device: d.id, accounts: accounts}) AS shared_devices
}
RETURN flows, holds, shared_devices

UNWIND $rows AS r
MATCH (v:Account {id: r.victim})
MERGE (i:Incident {id: r.id})
  ON CREATE SET i.reported_ts = r.reported_ts, i.reported_at = datetime({epochSeconds: r.reported_ts}),
                i.reporter = r.reporter, i.scheme = r.scheme, i.amount = r.amount,
                i.occurred_ts = r.occurred_ts
MERGE (i)-[:VICTIM]->(v)
WITH i, r
CALL (i, r) {
  UNWIND r.beneficiaries AS bid
  MATCH (b:Account {id: bid})
  MERGE (i)-[:BENEFICIARY]->(b)
}
CALL (i, r) {
  WITH i, r WHERE r.caller IS NOT NULL
  MERGE (ph:Phone {id: r.caller})
  MERGE (i)-[:CALLER]->(ph)
}

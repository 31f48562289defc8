UNWIND $rows AS r
MERGE (p:Person {id: r.holder})
MERGE (a:Account {id: r.id})
SET a.bank = r.bank, a.kind = r.kind, a.holder = r.holder,
    a.opened_ts = r.opened_ts, a.opened_at = datetime({epochSeconds: r.opened_ts})
MERGE (p)-[:HOLDS]->(a)
WITH a, r
MATCH (b:Bank {id: r.bank})
MERGE (a)-[:AT_BANK]->(b)

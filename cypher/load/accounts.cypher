// Columnar batch (see transfers.cypher).
UNWIND range(0, size($id) - 1) AS i
WITH $id[i] AS id, $holder[i] AS holder, $bank[i] AS bank, $kind[i] AS kind,
     $opened_ts[i] AS opened_ts
MERGE (p:Person {id: holder})
MERGE (a:Account {id: id})
REMOVE a:External, a.external_kind
SET a.bank = bank, a.kind = kind, a.holder = holder,
    a.opened_ts = opened_ts, a.opened_at = datetime({epochSeconds: opened_ts})
MERGE (p)-[:HOLDS]->(a)
WITH a, bank
MATCH (b:Bank {id: bank})
MERGE (a)-[:AT_BANK]->(b)

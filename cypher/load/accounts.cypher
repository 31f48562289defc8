// @name accounts
// @description A batch of accounts feed rows: each account (no longer :External if it was a
// @description counterparty before), its holder, and its bank.
// @param id list[str] required -- the accounts' pseudonyms
// @param holder list[str] required -- the holders' pseudonyms (Person ids)
// @param bank list[str] required -- the bank codes
// @param kind list[str] required choices personal,business,merchant -- the account kinds
// @param opened_ts list[int] required -- opening times (epoch seconds)
//
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

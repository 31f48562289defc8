// Fast path of transfers.cypher for batches of new events; the transfer_tx uniqueness
// constraint fails the whole batch if any tx_id exists, and the loader then MERGEs it.
UNWIND $rows AS r
MATCH (a:Account {id: r.src})
MATCH (b:Account {id: r.dst})
CREATE (a)-[:TRANSFERRED {tx_id: r.tx_id, amount: r.amount, ts: r.ts,
                          at: datetime({epochSeconds: r.ts}), channel: r.channel,
                          interbank: r.interbank}]->(b)

// Fast path of transfers.cypher for batches of new events; the transfer_tx uniqueness
// constraint fails the whole batch if any tx_id exists, and the loader then MERGEs it.
$$EXTERNALS$$
UNWIND range(0, size($tx_id) - 1) AS i
MATCH (a:Account {id: $src[i]})
MATCH (b:Account {id: $dst[i]})
CREATE (a)-[:TRANSFERRED {tx_id: $tx_id[i], amount: $amount[i], ts: $ts[i],
                          at: datetime({epochSeconds: $ts[i]}), channel: $channel[i],
                          interbank: $interbank[i]}]->(b)

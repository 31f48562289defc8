UNWIND $rows AS r
MATCH (a:Account {id: r.src})
MATCH (b:Account {id: r.dst})
MERGE (a)-[t:TRANSFERRED {tx_id: r.tx_id}]->(b)
  ON CREATE SET t.amount = r.amount, t.ts = r.ts, t.at = datetime({epochSeconds: r.ts}),
                t.channel = r.channel, t.interbank = r.interbank

// Columnar batch: one list parameter per field ($tx_id[i], $src[i], ...). Lists of
// values cost Neo4j about half the CPU per row of a list of maps (bench/load.py).
UNWIND range(0, size($tx_id) - 1) AS i
MATCH (a:Account {id: $src[i]})
MATCH (b:Account {id: $dst[i]})
MERGE (a)-[t:TRANSFERRED {tx_id: $tx_id[i]}]->(b)
  ON CREATE SET t.amount = $amount[i], t.ts = $ts[i], t.at = datetime({epochSeconds: $ts[i]}),
                t.channel = $channel[i], t.interbank = $interbank[i]

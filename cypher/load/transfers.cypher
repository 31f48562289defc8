// Columnar batch: one list parameter per field ($tx_id[i], $src[i], ...), which spares
// Neo4j decoding a map per row (graph_loader/load.py: batch_params).
$$EXTERNALS$$
UNWIND range(0, size($tx_id) - 1) AS i
MATCH (a:Account {id: $src[i]})
MATCH (b:Account {id: $dst[i]})
MERGE (a)-[t:TRANSFERRED {tx_id: $tx_id[i]}]->(b)
  ON CREATE SET t.amount = $amount[i], t.ts = $ts[i], t.at = datetime({epochSeconds: $ts[i]}),
                t.channel = $channel[i], t.interbank = $interbank[i]

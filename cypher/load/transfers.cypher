// Columnar batch: one list parameter per field ($tx_id[i], $src[i], ...), which spares
// Neo4j decoding a map per row (graph_loader/load.py: batch_params).
// A counterparty outside the participants (feeds.transfers: src_ext / dst_ext) is an
// account-like node marked :External with the kind of its identifier; an accounts feed
// that later sends the same IBAN makes it a participant's account (accounts.cypher).
// Merged once per batch before the transfers, so a batch without any costs one scan.
FOREACH (k IN [k IN range(0, size($tx_id) - 1) WHERE $src_ext[k] IS NOT NULL] |
  MERGE (x:Account {id: $src[k]})
  SET x:External, x.external_kind = coalesce(x.external_kind, $src_ext[k]),
      x.kind = coalesce(x.kind, 'external'))
FOREACH (k IN [k IN range(0, size($tx_id) - 1) WHERE $dst_ext[k] IS NOT NULL] |
  MERGE (x:Account {id: $dst[k]})
  SET x:External, x.external_kind = coalesce(x.external_kind, $dst_ext[k]),
      x.kind = coalesce(x.kind, 'external'))
WITH 0 AS _
UNWIND range(0, size($tx_id) - 1) AS i
MATCH (a:Account {id: $src[i]})
MATCH (b:Account {id: $dst[i]})
MERGE (a)-[t:TRANSFERRED {tx_id: $tx_id[i]}]->(b)
  ON CREATE SET t.amount = $amount[i], t.ts = $ts[i], t.at = datetime({epochSeconds: $ts[i]}),
                t.channel = $channel[i], t.interbank = $interbank[i]

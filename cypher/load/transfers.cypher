// @name transfers
// @description A batch of transfers: outside counterparties first (EXTERNALS), then one
// @description TRANSFERRED relationship per transfer id, merged so a transfer loaded twice is one.
// @template EXTERNALS uses src_ext,dst_ext -- the transfer_externals.cypher prelude (graph_loader.writer.cypher)
// @param tx_id list[str] required -- the transfers' ids
// @param src list[str] required -- the senders' pseudonyms
// @param dst list[str] required -- the receivers' pseudonyms
// @param src_ext list[str] required nullable -- the kind of an outside sender's identifier, null for a participant's account
// @param dst_ext list[str] required nullable -- the kind of an outside receiver's identifier, null for a participant's account
// @param amount list[float] required -- amounts in KZT
// @param ts list[int] required -- transfer times (epoch seconds)
// @param channel list[str] required choices app,web,atm,pos,branch,qr,ussd -- the channels
// @param interbank list[bool] required -- whether each transfer crosses banks
//
// Columnar batch: one list parameter per field ($tx_id[i], $src[i], ...), which spares
// Neo4j decoding a map per row (graph_loader/load.py: batch_params).
$$EXTERNALS$$
UNWIND range(0, size($tx_id) - 1) AS i
MATCH (a:Account {id: $src[i]})
MATCH (b:Account {id: $dst[i]})
MERGE (a)-[t:TRANSFERRED {tx_id: $tx_id[i]}]->(b)
  ON CREATE SET t.amount = $amount[i], t.ts = $ts[i], t.at = datetime({epochSeconds: $ts[i]}),
                t.channel = $channel[i], t.interbank = $interbank[i]

// @name transfers_create
// @description Fast path of transfers.cypher for batches of new events: CREATE, not MERGE, of
// @description the TRANSFERRED relationships.
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
// The transfer_tx uniqueness constraint fails the whole batch if any tx_id exists, and the
// loader then MERGEs it.
$$EXTERNALS$$
UNWIND range(0, size($tx_id) - 1) AS i
MATCH (a:Account {id: $src[i]})
MATCH (b:Account {id: $dst[i]})
CREATE (a)-[:TRANSFERRED {tx_id: $tx_id[i], amount: $amount[i], ts: $ts[i],
                          at: datetime({epochSeconds: $ts[i]}), channel: $channel[i],
                          interbank: $interbank[i]}]->(b)

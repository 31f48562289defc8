// @name transfer_externals
// @description Fragment, not a statement: the prelude that transfers.cypher and
// @description transfers_create.cypher share (graph_loader.writer.cypher fills it in for their
// @description EXTERNALS slot): counterparties outside the participants become :External.
// @param tx_id list[str] required -- the batch's transfer ids (for its length)
// @param src list[str] required -- the senders' pseudonyms
// @param dst list[str] required -- the receivers' pseudonyms
// @param src_ext list[str] required nullable -- the kind of an outside sender's identifier, null for a participant's account
// @param dst_ext list[str] required nullable -- the kind of an outside receiver's identifier, null for a participant's account
//
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

// Fragment, not a statement: the prelude that transfers.cypher and transfers_create.cypher
// share (graph_loader.writer.cypher fills it in for their EXTERNALS placeholder).
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

// For alert candidates of one kind: the banks whose customers they touch and the money
// at stake (transfers those accounts received in [$since, $until)). The accounts of an
// entity: itself, the accounts a person holds, the accounts of a phone's holders, the
// accounts that used a device. $$LABEL$$ and $$ACCOUNTS$$ come from a fixed map in
// casework/alert_store.py, never from input.
// Params: $ids (list of ids), $since, $until (epoch s).
UNWIND $ids AS id
MATCH (n:$$LABEL$$ {id: id})
CALL (n) {
  OPTIONAL MATCH $$ACCOUNTS$$
  WITH DISTINCT acc LIMIT 100
  OPTIONAL MATCH (:Account)-[t:TRANSFERRED]->(acc)
    WHERE t.ts >= $since AND t.ts < $until
  RETURN collect(DISTINCT acc.bank) AS banks, coalesce(sum(t.amount), 0.0) AS money
}
RETURN id, banks, money

// @name entity_context
// @description For alert candidates of one kind: the banks whose customers they touch and
// @description the money at stake (transfers those accounts received in [since, until)).
// @template LABEL -- the candidates' label (casework.alert_store.LABELS)
// @template ACCOUNTS -- a pattern from the entity `n` to its accounts `acc` (alert_store._ACCOUNTS)
// @param ids list[id] required -- the candidates' entity ids
// @param since ts required -- start of the money window (epoch seconds)
// @param until ts required -- end of the money window, exclusive
//
// The accounts of an entity: itself, the accounts a person holds, the accounts of a
// phone's holders, the accounts that used a device. $$LABEL$$ and $$ACCOUNTS$$ come from a
// fixed map in casework/alert_store.py, never from input.
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

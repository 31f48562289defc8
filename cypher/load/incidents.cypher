// @name incidents
// @description A batch of fraud incident reports: the incident, its victim, its
// @description beneficiaries (outside counterparties merged as :External) and its caller's
// @description phone, if any.
// @param rows list[map] required -- {id, victim, beneficiaries, externals [{id, kind}], reported_ts, reporter, scheme, amount, occurred_ts, caller, caller_foreign} (graph_loader.feeds.incidents)
UNWIND $rows AS r
MATCH (v:Account {id: r.victim})
FOREACH (x IN coalesce(r.externals, []) |
  MERGE (b:Account {id: x.id})
  SET b:External, b.external_kind = coalesce(b.external_kind, x.kind),
      b.kind = coalesce(b.kind, 'external'))
MERGE (i:Incident {id: r.id})
  ON CREATE SET i.reported_ts = r.reported_ts, i.reported_at = datetime({epochSeconds: r.reported_ts}),
                i.reporter = r.reporter, i.scheme = r.scheme, i.amount = r.amount,
                i.occurred_ts = r.occurred_ts
MERGE (i)-[:VICTIM]->(v)
WITH i, r
CALL (i, r) {
  UNWIND r.beneficiaries AS bid
  MATCH (b:Account {id: bid})
  MERGE (i)-[:BENEFICIARY]->(b)
}
CALL (i, r) {
  WITH i, r WHERE r.caller IS NOT NULL
  MERGE (ph:Phone {id: r.caller})
    ON CREATE SET ph.foreign = coalesce(r.caller_foreign, false)
  MERGE (i)-[:CALLER]->(ph)
}

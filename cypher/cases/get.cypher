// @name get
// @description One case with its alerts, entities, verdicts and whole history (oldest first).
// @param id str required -- the case
MATCH (c:Case {id: $id})
RETURN properties(c) AS case,
       [(c)-[:HAS_ALERT]->(al:Alert) | al {.id, .entity_kind, .entity_id, .status, .priority,
                                           .band, .banks, .reasons, .money_kzt}] AS alerts,
       [(c)-[:CONCERNS]->(n) | {kind: CASE WHEN n:Account THEN 'account'
                                            WHEN n:Person THEN 'person'
                                            WHEN n:Phone THEN 'phone' ELSE 'device' END,
                                id: n.id, bank: n.bank, risk: n.risk, band: n.risk_band}]
         AS entities,
       COLLECT { MATCH (v:Verdict {case_id: c.id})
                 RETURN v {.account, .verdict, .scheme, .at_ts, .by, .withdrawn_ts} } AS verdicts,
       [(e:HistoryEvent)-[:OF]->(c) | e {.id, .seq, .at_ts, .by, .action, .detail}] AS history

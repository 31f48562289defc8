// @name trace_start
// @description An incident, its victim and beneficiaries, and the victim's transfers to the
// @description beneficiaries between (occurred or reported) - slack and the report.
// @param id str required -- the incident
// @param slack int required range 0.. -- seconds before the occurrence still counted
MATCH (i:Incident {id: $id})
OPTIONAL MATCH (i)-[:VICTIM]->(v:Account)
WITH i, v
RETURN i {.id, .reporter, .scheme, .amount, .reported_ts, .occurred_ts} AS incident,
       v.id AS victim,
       [(i)-[:BENEFICIARY]->(b:Account) | b.id] AS beneficiaries,
       CASE WHEN v IS NULL THEN [] ELSE
         [(v)-[t:TRANSFERRED]->(b:Account)<-[:BENEFICIARY]-(i)
          WHERE t.ts >= coalesce(i.occurred_ts, i.reported_ts) - $slack
            AND t.ts <= i.reported_ts
          | {tx_id: t.tx_id, dst: b.id, amount: t.amount, ts: t.ts}] END AS paid

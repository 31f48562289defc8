UNWIND $rows AS r
MERGE (ph:Phone {id: r.phone})
MERGE (p:Person {id: r.holder})
MERGE (p)-[s:SIM_EVENT {event_id: r.event_id}]->(ph)
  ON CREATE SET s.kind = r.event, s.ts = r.ts, s.operator = r.operator
MERGE (p)-[h:HAS_PHONE]->(ph)
  ON CREATE SET h.since_ts = r.ts
SET h.since_ts = CASE WHEN r.ts < h.since_ts THEN r.ts ELSE h.since_ts END,
    ph.operator = CASE WHEN coalesce(ph.last_sim_event_ts, 0) <= r.ts THEN r.operator ELSE ph.operator END,
    ph.last_sim_event_ts = CASE WHEN coalesce(ph.last_sim_event_ts, 0) < r.ts THEN r.ts ELSE ph.last_sim_event_ts END

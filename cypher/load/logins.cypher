UNWIND $rows AS r
MATCH (a:Account {id: r.account})
MERGE (d:Device {id: r.device})
MERGE (a)-[u:USED]->(d)
  ON CREATE SET u.first_ts = r.ts, u.last_ts = r.ts, u.last_ip = r.ip
// last_ip first: it compares against the last_ts from before this row.
SET u.last_ip = CASE WHEN r.ts >= u.last_ts THEN r.ip ELSE u.last_ip END,
    u.first_ts = CASE WHEN r.ts < u.first_ts THEN r.ts ELSE u.first_ts END,
    u.last_ts = CASE WHEN r.ts > u.last_ts THEN r.ts ELSE u.last_ts END

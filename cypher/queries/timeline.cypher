// @name timeline
// @title Everything that happened to one entity, in time order
// @description Transfers, logins (device first/last seen), SIM events, calls, account
// @description openings, incidents, list entries and signals of one entity, oldest first.
// @returns rows
// @param id id required -- an account, person, phone or device id
// @param from_ts ts = null -- events at or after this (epoch seconds or ISO)
// @param to_ts ts = null -- events at or before this
// @param limit int = 500 range 1..5000 -- at most this many events
//
// Each branch filters on time before it returns, so a busy account's old transfers are
// never shipped; `lo`/`hi` stand for an open end.
CALL () {
  MATCH (n:Account {id: $id}) RETURN n
  UNION MATCH (n:Person {id: $id}) RETURN n
  UNION MATCH (n:Phone {id: $id}) RETURN n
  UNION MATCH (n:Device {id: $id}) RETURN n
}
WITH n, coalesce($from_ts, -9223372036854775807) AS lo, coalesce($to_ts, 9223372036854775807) AS hi
CALL (n, lo, hi) {
  MATCH (n)-[t:TRANSFERRED]->(c)
  WHERE t.ts >= lo AND t.ts <= hi
  RETURN t.ts AS ts, 'transfer_out' AS event, t.tx_id AS ref, c.id AS other,
         t.amount AS amount, t.channel AS detail
  UNION ALL
  MATCH (n)<-[t:TRANSFERRED]-(c)
  WHERE t.ts >= lo AND t.ts <= hi
  RETURN t.ts AS ts, 'transfer_in' AS event, t.tx_id AS ref, c.id AS other,
         t.amount AS amount, t.channel AS detail
  UNION ALL
  MATCH (n)-[u:USED]-(x)
  UNWIND [['first_seen', u.first_ts], ['last_seen', u.last_ts]] AS e
  WITH e, u, x WHERE e[1] >= lo AND e[1] <= hi
  RETURN e[1] AS ts, 'login_' + e[0] AS event, null AS ref, x.id AS other,
         null AS amount, u.last_ip AS detail
  UNION ALL
  MATCH (n)-[s:SIM_EVENT]-(x)
  WHERE s.ts >= lo AND s.ts <= hi
  RETURN s.ts AS ts, 'sim_' + s.kind AS event, s.event_id AS ref, x.id AS other,
         null AS amount, s.operator AS detail
  UNION ALL
  MATCH (n)-[c:CALLED]-(x)
  WHERE c.ts >= lo AND c.ts <= hi
  RETURN c.ts AS ts, CASE WHEN startNode(c) = n THEN 'call_out' ELSE 'call_in' END AS event,
         c.call_id AS ref, x.id AS other, null AS amount, toString(c.duration_s) + 's' AS detail
  UNION ALL
  MATCH (n)-[:HOLDS]-(x:Account)
  WHERE x.opened_ts >= lo AND x.opened_ts <= hi
  RETURN x.opened_ts AS ts, 'account_opened' AS event, x.id AS ref, x.bank AS other,
         null AS amount, x.kind AS detail
  UNION ALL
  MATCH (n:Account)
  WHERE n.opened_ts >= lo AND n.opened_ts <= hi
  RETURN n.opened_ts AS ts, 'account_opened' AS event, n.id AS ref, n.bank AS other,
         null AS amount, n.kind AS detail
  UNION ALL
  MATCH (n)<-[k:VICTIM|BENEFICIARY|CALLER]-(i:Incident)
  WITH i, k, coalesce(i.occurred_ts, i.reported_ts) AS ts WHERE ts >= lo AND ts <= hi
  RETURN ts, 'incident_' + toLower(type(k)) AS event, i.id AS ref, i.scheme AS other,
         i.amount AS amount, i.reporter AS detail
  UNION ALL
  MATCH (n)<-[:LISTS]-(le:ListEntry)
  WHERE le.since_ts >= lo AND le.since_ts <= hi
  RETURN le.since_ts AS ts, 'listed_' + le.list AS event, le.id AS ref, le.source AS other,
         null AS amount, le.reason AS detail
  UNION ALL
  MATCH (n)<-[:LISTS]-(le:ListEntry)
  WHERE le.until_ts >= lo AND le.until_ts <= hi
  RETURN le.until_ts AS ts, 'delisted_' + le.list AS event, le.id AS ref, le.source AS other,
         null AS amount, le.reason AS detail
  UNION ALL
  MATCH (n)<-[:FLAGS]-(s:Signal)
  WITH s, s.created_at.epochSeconds AS ts WHERE ts >= lo AND ts <= hi
  RETURN ts, 'signal' AS event, s.id AS ref, s.heuristic AS other, s.score AS amount,
         s.run_id AS detail
}
RETURN ts, datetime({epochSeconds: ts}) AS at, event, ref, other, amount, detail
ORDER BY ts, event, ref
LIMIT $limit

// @name monitor_incidents
// @description Incidents reported since `since`, each with the first alert raised before the
// @description report on any of its beneficiaries (did the alerts come first?).
// @param since ts required -- epoch seconds
//
// Retracted incidents (retracted_at set) are left out.
MATCH (i:Incident) WHERE i.reported_ts >= $since AND i.retracted_at IS NULL
OPTIONAL MATCH (i)-[:BENEFICIARY]->(a:Account)<-[:ABOUT]-(al:Alert)
  WHERE al.raised_ts < i.reported_ts
RETURN i.id AS id, i.reported_ts AS reported_ts, min(al.raised_ts) AS first_alert_ts

// @name victim_fan_in
// @title Several incident victims paid one account
// @description An account (not a merchant) that received payments from at least k victims
// @description of reported incidents, each paid around the incident's time, within a short span.
// @scheme phone_fraud
// @severity high
// @entity account
// @param min_victims int = 2 range 2..1000 -- distinct victims to fire
// @param fan_in_s int range 1.. -- override (seconds): all those payments within this span
// @param fan_in_gaps float = 1.3 range 0..100000 -- default: this many typical gaps between an account's transfers
// @param slack_s int = 86400 range 0..2592000 -- a victim's payment counts within this of the incident time
// @param report_lag_s int = 604800 range 0..31536000 -- without occurred_ts, look back this far from the report
// @derive fan_in_s gaps fan_in_gaps
//
// Anchor: incidents reported in the window (incident_reported index), then their victims'
// own transfers near the incident time.
MATCH (i:Incident)
WHERE i.reported_at >= datetime({epochSeconds: $as_of - $window_s})
  AND i.reported_at <= datetime({epochSeconds: $as_of})
MATCH (i)-[:VICTIM]->(v:Account)-[t:TRANSFERRED]->(m:Account)
WHERE t.ts >= coalesce(i.occurred_ts, i.reported_ts - $report_lag_s) - $slack_s
  AND t.ts <= coalesce(i.occurred_ts, i.reported_ts) + $slack_s
  AND t.ts <= $as_of AND m.kind <> 'merchant' AND coalesce(m.holder <> v.holder, true)
WITH m, v, min(t.ts) AS ts, collect(DISTINCT i.id) AS incs
WITH m, collect(ts) AS tss, collect(v.id) AS victims, apoc.coll.flatten(collect(incs)) AS incs
// The most victims inside any fan_in_s span.
WITH m, victims, incs,
     reduce(best = 0, s IN tss | apoc.coll.max([best, size([x IN tss WHERE x >= s AND x <= s + $fan_in_s])])) AS k
WHERE k >= $min_victims
RETURN 'account' AS entity_kind, m.id AS entity_id,
       toFloat(k) / (k + 1) AS score,
       (apoc.coll.toSet(incs) + victims)[..$max_evidence] AS evidence

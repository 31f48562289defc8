// Per account ever named a beneficiary: its first report time and its first alert.
MATCH (i:Incident)-[:BENEFICIARY]->(a:Account)
WHERE i.retracted_at IS NULL
WITH a, min(i.reported_ts) AS first_report
OPTIONAL MATCH (al:Alert)-[:ABOUT]->(a)
RETURN a.id AS id, first_report, min(al.raised_ts) AS first_alert

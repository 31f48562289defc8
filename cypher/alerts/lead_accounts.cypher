// @name lead_accounts
// @description Per account ever named a beneficiary (of an unretracted incident): its first
// @description report time and its first alert, to measure how far alerts lead reports.
MATCH (i:Incident)-[:BENEFICIARY]->(a:Account)
WHERE i.retracted_at IS NULL
WITH a, min(i.reported_ts) AS first_report
OPTIONAL MATCH (al:Alert)-[:ABOUT]->(a)
RETURN a.id AS id, first_report, min(al.raised_ts) AS first_alert

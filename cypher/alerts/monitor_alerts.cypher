// Every alert's raise and close times and outcome, for the weekly report.
// Params: $since (epoch s).
MATCH (al:Alert) WHERE al.raised_ts >= $since
   OR coalesce(al.closed_ts, al.dismissed_ts, 0) >= $since
RETURN al.raised_ts AS raised_ts, al.status AS status, al.verdict AS verdict,
       coalesce(al.closed_ts, al.dismissed_ts) AS closed_ts

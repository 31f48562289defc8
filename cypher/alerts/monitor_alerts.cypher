// @name monitor_alerts
// @description Every alert raised or closed since `since`: its raise and close times and
// @description outcome, for the weekly report.
// @param since ts required -- epoch seconds
MATCH (al:Alert) WHERE al.raised_ts >= $since
   OR coalesce(al.closed_ts, al.dismissed_ts, 0) >= $since
RETURN al.raised_ts AS raised_ts, al.status AS status, al.verdict AS verdict,
       coalesce(al.closed_ts, al.dismissed_ts) AS closed_ts

// @name transfers
// @description The window's transfer amounts at the quantiles $qs and the share of timestamps
// @description that are whole days, hours and minutes (the data's time granularity).
// @param as_of ts required -- the window's end (epoch seconds), the detect run's as-of
// @param window_s int required range 1.. -- the window's length in seconds
// @param qs list[float] range 0..1 -- quantiles, each in [0, 1]
//
// Anchor: transfers in the window (transfer_at index); amounts are sorted once in memory.
MATCH ()-[t:TRANSFERRED]->()
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
WITH count(t) AS n, min(t.ts) AS first_ts, max(t.ts) AS last_ts,
     apoc.coll.sort(collect(t.amount)) AS amounts,
     sum(CASE WHEN t.ts % 86400 = 0 THEN 1 ELSE 0 END) AS days,
     sum(CASE WHEN t.ts % 3600 = 0 THEN 1 ELSE 0 END) AS hours,
     sum(CASE WHEN t.ts % 60 = 0 THEN 1 ELSE 0 END) AS minutes
RETURN n, first_ts, last_ts, days, hours, minutes,
       [q IN $qs | amounts[toInteger(round(q * (size(amounts) - 1)))]] AS amount_q

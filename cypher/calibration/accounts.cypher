// @name accounts
// @description Per active account in the window: transfers, distinct senders, distinct
// @description receivers and the mean gap between its transfers; returned as quantiles $qs.
// @param as_of ts required -- the window's end (epoch seconds), the detect run's as-of
// @param window_s int required range 1.. -- the window's length in seconds
// @param qs list[float] range 0..1 -- quantiles, each in [0, 1]
//
// Anchor: transfers in the window (transfer_at index); each counts once for its sender and
// once for its receiver, so one pass groups both directions.
MATCH (s)-[t:TRANSFERRED]->(d)
WHERE t.at >= datetime({epochSeconds: $as_of - $window_s})
  AND t.at <= datetime({epochSeconds: $as_of})
UNWIND [[s, d, true], [d, s, false]] AS e
WITH e[0] AS a, e[1] AS c, e[2] AS out, t.ts AS ts
WITH a, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts,
     count(DISTINCT CASE WHEN out THEN c END) AS receivers,
     count(DISTINCT CASE WHEN NOT out THEN c END) AS senders
WITH apoc.coll.sort(collect(n)) AS ns, apoc.coll.sort(collect(senders)) AS ins,
     apoc.coll.sort(collect(receivers)) AS outs,
     apoc.coll.sort(collect(CASE WHEN last_ts > first_ts
                                 THEN toFloat(last_ts - first_ts) / (n - 1) END)) AS gaps
RETURN size(ns) AS accounts, size(gaps) AS with_gap,
       [q IN $qs | ns[toInteger(round(q * (size(ns) - 1)))]] AS transfers_q,
       [q IN $qs | ins[toInteger(round(q * (size(ins) - 1)))]] AS senders_q,
       [q IN $qs | outs[toInteger(round(q * (size(outs) - 1)))]] AS receivers_q,
       [q IN $qs | gaps[toInteger(round(q * (size(gaps) - 1)))]] AS gap_q

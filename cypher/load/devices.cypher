UNWIND $rows AS r
MERGE (d:Device {id: r.id})
SET d.platform = r.platform,
    d.first_seen_ts = CASE WHEN d.first_seen_ts IS NULL OR r.first_seen_ts < d.first_seen_ts
                           THEN r.first_seen_ts ELSE d.first_seen_ts END

// @name devices
// @description A batch of devices feed rows: each device's platform and the earliest time it
// @description was first seen (a row seen again never moves it later).
// @param id list[str] required -- the devices' pseudonyms
// @param platform list[str] required choices android,ios,web,other -- the platforms
// @param first_seen_ts list[int] required -- first-seen times (epoch seconds)
//
// Columnar batch (see transfers.cypher).
UNWIND range(0, size($id) - 1) AS i
WITH $id[i] AS id, $platform[i] AS platform, $first_seen_ts[i] AS first_seen_ts
MERGE (d:Device {id: id})
SET d.platform = platform,
    d.first_seen_ts = CASE WHEN d.first_seen_ts IS NULL OR first_seen_ts < d.first_seen_ts
                           THEN first_seen_ts ELSE d.first_seen_ts END

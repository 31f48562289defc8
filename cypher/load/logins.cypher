// @name logins
// @description A batch of logins: the account USED the device, with the first and last time
// @description and the last IP, whatever order the rows come in.
// @param account list[str] required -- the accounts' pseudonyms (loaded accounts only)
// @param device list[str] required -- the devices' pseudonyms
// @param ip list[str] required -- the IPs' pseudonyms
// @param ts list[int] required -- login times (epoch seconds)
//
// Columnar batch (see transfers.cypher).
UNWIND range(0, size($account) - 1) AS i
WITH $account[i] AS account, $device[i] AS device, $ip[i] AS ip, $ts[i] AS ts
MATCH (a:Account {id: account})
MERGE (d:Device {id: device})
MERGE (a)-[u:USED]->(d)
  ON CREATE SET u.first_ts = ts, u.last_ts = ts, u.last_ip = ip
// last_ip first: it compares against the last_ts from before this row.
SET u.last_ip = CASE WHEN ts >= u.last_ts THEN ip ELSE u.last_ip END,
    u.first_ts = CASE WHEN ts < u.first_ts THEN ts ELSE u.first_ts END,
    u.last_ts = CASE WHEN ts > u.last_ts THEN ts ELSE u.last_ts END

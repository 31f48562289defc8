// @name shared_device
// @title Accounts of different holders on one recently appeared device
// @description Personal accounts held by different persons that logged in during the window
// @description from one device that served them from (nearly) the day it first appeared: an
// @description operator's phone or browser set up to run a ring's accounts. Families share
// @description an old tablet for years; a fresh device that at once serves several
// @description strangers' accounts is the mule-herder's.
// @scheme dropper
// @severity high
// @entity account
// @param min_holders int = 2 range 2..100 -- distinct holders on one device to fire
// @param max_device_age_s int = 7776000 range 3600..3153600000 -- the device first seen at most this long before the window starts (default 90 days)
// @param max_gap_s int = 2592000 range 0..3153600000 -- the device's first login to these accounts at most this long after it was first seen (default 30 days)
// @param max_accounts int = 60 range 2..10000 -- devices with more accounts are public terminals
// @param account_kinds list[str] = ["personal"] items 1..3 choices personal,business,merchant -- kinds of account counted (bookkeepers run many firms' accounts from one browser)
//
// Anchor: devices whose USED degree (degree store, no property reads) is in range; only
// those read their logins. Without a devices feed first_seen_ts is absent and the first
// login stands in for it (the gap is then 0).
MATCH (d:Device)
WITH d, COUNT { (d)<-[:USED]-() } AS deg
WHERE deg >= $min_holders AND deg <= $max_accounts
  AND coalesce(d.first_seen_ts, $as_of) >= $as_of - $window_s - $max_device_age_s
MATCH (d)<-[u:USED]-(a:Account)
WHERE u.last_ts >= $as_of - $window_s AND u.first_ts <= $as_of AND a.kind IN $account_kinds
WITH d, collect(a) AS accs, count(DISTINCT a.holder) AS holders, min(u.first_ts) AS first_login
WHERE holders >= $min_holders
  AND first_login - coalesce(d.first_seen_ts, first_login) <= $max_gap_s
UNWIND accs AS a
RETURN 'account' AS entity_kind, a.id AS entity_id,
       1.0 - 0.5 ^ (holders - 1) AS score,
       ([d.id] + [x IN accs WHERE x <> a | x.id])[..$max_evidence] AS evidence

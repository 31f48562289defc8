// @name check
// @description Pre-payment check: every fact the decision rule needs, in one read round trip
// @description (the payee's and payer's risk and banks, active list entries, recent SIM
// @description changes, the device's first use, inbound interbank money, prior payments).
// @param payee id required -- the account to be paid
// @param payer id required -- the paying account
// @param device id = null -- the session's device
// @param phone id = null -- the session's phone
// @param at ts required -- the payment's time (epoch seconds)
// @param sim_window int required range 0.. -- SIM changes this many seconds before count
// @param inbound_window int required range 0.. -- inbound transfers this many seconds before count
//
// Anchors are unique-constraint lookups; every expansion starts from a bound node, so the
// cost depends on the degree of the two accounts, not on the size of the graph.
// An active list entry: started, not expired, not removed (a removed entry counts for
// no time at all: a removal corrects a mistake, also for checks replayed in the past).
OPTIONAL MATCH (payee:Account {id: $payee})
OPTIONAL MATCH (payer:Account {id: $payer})
OPTIONAL MATCH (dev:Device {id: $device})
OPTIONAL MATCH (ph:Phone {id: $phone})
WITH payee, payer, dev, ph
RETURN
  payee IS NOT NULL AS payee_known,
  payer IS NOT NULL AS payer_known,
  payee.risk AS payee_risk,
  payee.bank AS payee_bank,
  payer.risk AS payer_risk,
  payer.bank AS payer_bank,
  coalesce([(le:ListEntry)-[:LISTS]->(payee)
            WHERE le.since_ts <= $at AND (le.until_ts IS NULL OR le.until_ts > $at)
              AND le.removed_at IS NULL
            | {list: le.list, on: 'payee', entry: le.id}], [])
  + coalesce([(le:ListEntry)-[:LISTS]->(:Person)-[:HOLDS]->(payee)
            WHERE le.since_ts <= $at AND (le.until_ts IS NULL OR le.until_ts > $at)
              AND le.removed_at IS NULL
            | {list: le.list, on: 'payee_holder', entry: le.id}], [])
  + coalesce([(le:ListEntry)-[:LISTS]->(payer)
            WHERE le.since_ts <= $at AND (le.until_ts IS NULL OR le.until_ts > $at)
              AND le.removed_at IS NULL
            | {list: le.list, on: 'payer', entry: le.id}], [])
  + coalesce([(le:ListEntry)-[:LISTS]->(:Person)-[:HOLDS]->(payer)
            WHERE le.since_ts <= $at AND (le.until_ts IS NULL OR le.until_ts > $at)
              AND le.removed_at IS NULL
            | {list: le.list, on: 'payer_holder', entry: le.id}], [])
  + coalesce([(le:ListEntry)-[:LISTS]->(dev)
            WHERE le.since_ts <= $at AND (le.until_ts IS NULL OR le.until_ts > $at)
              AND le.removed_at IS NULL
            | {list: le.list, on: 'device', entry: le.id}], [])
  + coalesce([(le:ListEntry)-[:LISTS]->(ph)
            WHERE le.since_ts <= $at AND (le.until_ts IS NULL OR le.until_ts > $at)
              AND le.removed_at IS NULL
            | {list: le.list, on: 'phone', entry: le.id}], [])
  AS lists,
  // SIM events on any phone of the payer's holder, and on the session phone.
  coalesce([(payer)<-[:HOLDS]-(:Person)-[:HAS_PHONE]->(:Phone)<-[s:SIM_EVENT]-()
            WHERE s.ts > $at - $sim_window AND s.ts <= $at | s.ts], [])
  + coalesce([(ph)<-[s:SIM_EVENT]-() WHERE s.ts > $at - $sim_window AND s.ts <= $at
            | s.ts], [])
  AS sim_changes,
  coalesce([(payer)-[u:USED]->(dev) | u.first_ts], []) AS device_first,
  coalesce([(src:Account)-[t:TRANSFERRED]->(payer)
            WHERE t.interbank AND t.ts >= $at - $inbound_window AND t.ts <= $at
            | t.amount], []) AS inbound,
  CASE WHEN payer IS NULL OR payee IS NULL THEN 0
       ELSE COUNT { (payer)-[t:TRANSFERRED]->(payee) WHERE t.ts < $at } END AS prior_payments

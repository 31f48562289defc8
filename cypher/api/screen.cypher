// @name screen
// @description Screening before a service is given (POST /v1/screen): what the AFC's databases
// @description hold about one person or account (risk, banks, active list entries, incidents).
// @template LABEL -- Person or Account, from a fixed map in api/routes/screen.py (LABEL_OF)
// @param id id required -- the person or account
// @param now ts required -- the time list entries are active at (epoch seconds)
//
// An active list entry: started, not expired, not removed. Patterns of the other label are
// simply empty (a person holds accounts; an account is held by persons).
MATCH (e:$$LABEL$$ {id: $id})
RETURN e.risk AS risk, e.risk_band AS band,
       [x IN [e.bank] WHERE x IS NOT NULL] + [(e)-[:HOLDS]->(a:Account) | a.bank] AS banks,
       [(le:ListEntry)-[:LISTS]->(e)
        WHERE le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now)
          AND le.removed_at IS NULL | {list: le.list, on: 'self', entry: le.id}]
       + [(le:ListEntry)-[:LISTS]->(:Account)<-[:HOLDS]-(e)
          WHERE le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now)
            AND le.removed_at IS NULL | {list: le.list, on: 'account', entry: le.id}]
       + [(le:ListEntry)-[:LISTS]->(:Person)-[:HOLDS]->(e)
          WHERE le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now)
            AND le.removed_at IS NULL | {list: le.list, on: 'holder', entry: le.id}] AS lists,
       [(i:Incident)-[:BENEFICIARY]->(e) WHERE i.retracted_at IS NULL | i.id]
       + [(i:Incident)-[:BENEFICIARY]->(:Account)<-[:HOLDS]-(e)
          WHERE i.retracted_at IS NULL | i.id] AS incidents,
       [(e)-[:HOLDS]->(a:Account) WHERE a.risk IS NOT NULL | a.risk] AS account_risks

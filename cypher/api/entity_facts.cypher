// @name entity_facts
// @description Stored risk of one entity and the facts about the entity itself: heuristic
// @description signals, active list entries, incidents naming it, and the banks it belongs to.
// @template LABEL -- the entity's label, from a fixed map in api/routes/entities.py (LABEL_OF)
// @param id id required -- the entity
// @param now ts required -- the time list entries are active at (epoch seconds)
//
// $$LABEL$$ comes from a fixed map in api/routes/entities.py, never from the request.
// `banks`: the banks the entity belongs to (api/visibility.py: an account's bank, the banks
// of a person's accounts, of a phone's holders' accounts, of the accounts that used a
// device); patterns of other labels are simply empty. A retracted incident is no evidence.
MATCH (e:$$LABEL$$ {id: $id})
OPTIONAL MATCH (run:DetectRun) WHERE run.latest = true
WITH e, max(run.id) AS latest_run
RETURN e.id AS id, e.bank AS bank,
       [x IN [e.bank] WHERE x IS NOT NULL]
       + [(e)-[:HOLDS]->(a:Account) | a.bank]
       + [(e)<-[:HAS_PHONE]-(:Person)-[:HOLDS]->(a:Account) | a.bank]
       + [(a:Account)-[:USED]->(e) | a.bank] AS banks, e.risk AS risk, e.risk_band AS band,
       e.risk_updated_at AS risk_updated_at, e.prop_score AS prop_score,
       e.gnn_score AS gnn_score, latest_run,
       [(s:Signal)-[:FLAGS]->(e) WHERE latest_run IS NULL OR s.run_id = latest_run
        | s {.heuristic, .severity, .score, .evidence, .run_id}] AS signals,
       [(le:ListEntry)-[:LISTS]->(e)
        WHERE le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now)
        | le {.id, .list, .reason, .source, .since_ts, .until_ts}] AS lists,
       [(i:Incident)-[r:VICTIM|BENEFICIARY|CALLER]->(e) WHERE i.retracted_at IS NULL
        | {incident: i.id, role: type(r), scheme: i.scheme, reported_ts: i.reported_ts,
           amount: i.amount}] AS incidents

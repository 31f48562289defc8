// @name schema
// @description Constraints and indexes of alerts, cases, verdicts and history (casework/);
// @description several statements, each idempotent.
//
// Applied before every alert run and by the API's case writes' first use
// (casework.alert_store.ensure_schema).
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (n:Alert) REQUIRE n.id IS UNIQUE;
CREATE INDEX alert_entity IF NOT EXISTS FOR (n:Alert) ON (n.entity_key);
CREATE INDEX alert_status IF NOT EXISTS FOR (n:Alert) ON (n.status);
CREATE INDEX alert_priority IF NOT EXISTS FOR (n:Alert) ON (n.priority);
CREATE CONSTRAINT alert_run_id IF NOT EXISTS FOR (n:AlertRun) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (n:Case) REQUIRE n.id IS UNIQUE;
CREATE INDEX case_status IF NOT EXISTS FOR (n:Case) ON (n.status);
CREATE CONSTRAINT verdict_id IF NOT EXISTS FOR (n:Verdict) REQUIRE n.id IS UNIQUE;
CREATE INDEX verdict_case IF NOT EXISTS FOR (n:Verdict) ON (n.case_id);
CREATE CONSTRAINT history_event_id IF NOT EXISTS FOR (n:HistoryEvent) REQUIRE n.id IS UNIQUE

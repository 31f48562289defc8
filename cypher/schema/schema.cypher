// @name schema
// @description The fraudgraph graph schema: constraints and indexes, one statement each,
// @description every one idempotent (IF NOT EXISTS). Applied by `fraudgraph schema apply`.
//
// Bump SCHEMA_VERSION in cypher/graph_schema.py when this changes.
//
// Keys: every entity node has a unique `id`. Personal identifiers are pseudonyms
// (acc_/per_/pho_/dev_ + 32 hex of HMAC-SHA256); raw values never reach the graph.
CREATE CONSTRAINT bank_id IF NOT EXISTS FOR (n:Bank) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT phone_id IF NOT EXISTS FOR (n:Phone) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT device_id IF NOT EXISTS FOR (n:Device) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT incident_id IF NOT EXISTS FOR (n:Incident) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT list_entry_id IF NOT EXISTS FOR (n:ListEntry) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT signal_id IF NOT EXISTS FOR (n:Signal) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT detect_run_id IF NOT EXISTS FOR (n:DetectRun) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT cluster_id IF NOT EXISTS FOR (n:Cluster) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT load_batch_id IF NOT EXISTS FOR (n:LoadBatch) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT stream_offset_id IF NOT EXISTS FOR (n:StreamOffset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (n:Meta) REQUIRE n.key IS UNIQUE;
// Relationship property uniqueness (Community since 5.7): one relationship per source event.
CREATE CONSTRAINT transfer_tx IF NOT EXISTS FOR ()-[r:TRANSFERRED]-() REQUIRE r.tx_id IS UNIQUE;
CREATE CONSTRAINT call_id IF NOT EXISTS FOR ()-[r:CALLED]-() REQUIRE r.call_id IS UNIQUE;
CREATE CONSTRAINT sim_event_id IF NOT EXISTS FOR ()-[r:SIM_EVENT]-() REQUIRE r.event_id IS UNIQUE;
// The heuristics' window scans start from this index (and detect's newest-event look-up).
CREATE INDEX transfer_at IF NOT EXISTS FOR ()-[r:TRANSFERRED]-() ON (r.at);
CREATE INDEX account_opened IF NOT EXISTS FOR (n:Account) ON (n.opened_at);
CREATE INDEX account_risk IF NOT EXISTS FOR (n:Account) ON (n.risk);
CREATE INDEX incident_reported IF NOT EXISTS FOR (n:Incident) ON (n.reported_at);
CREATE INDEX list_entry_list IF NOT EXISTS FOR (n:ListEntry) ON (n.list);
CREATE INDEX signal_run IF NOT EXISTS FOR (n:Signal) ON (n.run_id);
CREATE INDEX signal_heuristic IF NOT EXISTS FOR (n:Signal) ON (n.heuristic);

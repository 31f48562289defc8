// @name audit_schema
// @description The audit trail's constraints: one head, one event per sequence number.
//
// Schema statements run one by one (api/audit.py), never in a transaction with writes.
CREATE CONSTRAINT audit_head_id IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.id IS UNIQUE;
CREATE CONSTRAINT audit_event_seq IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.seq IS UNIQUE

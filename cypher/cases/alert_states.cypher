// @name alert_states
// @description The alerts about to be linked to a case, locked (their status changes in this
// @description transaction), with their status, case and banks.
// @param ids list[str] required -- the alerts
UNWIND $ids AS id
MATCH (al:Alert {id: id})
SET al.version = coalesce(al.version, 0) + 1
RETURN al.id AS id, al.status AS status, al.case_id AS case_id, al.banks AS banks

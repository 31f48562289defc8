// The alerts about to be linked, locked (their status changes in this transaction).
// Params: $ids.
UNWIND $ids AS id
MATCH (al:Alert {id: id})
SET al.version = coalesce(al.version, 0) + 1
RETURN al.id AS id, al.status AS status, al.case_id AS case_id, al.banks AS banks

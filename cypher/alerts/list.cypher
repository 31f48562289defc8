// @name list
// @description Alerts of one status, highest priority first (`fraudgraph alerts list`).
// @param status str -- open, in_case, dismissed or closed
// @param limit int -- how many
MATCH (al:Alert {status: $status})
RETURN al.id AS id, al.entity_kind AS kind, al.entity_id AS entity, al.priority AS priority,
       al.band AS band, al.banks AS banks, al.reasons AS reasons
ORDER BY al.priority DESC, al.id
LIMIT $limit

// @name list_remove
// @description Soft delete of a list entry: it expires now and keeps who removed it, when and
// @description why; the original expiry is kept too.
// @param id str required -- the list entry
// @param list str required -- the list it must be on
// @param now_ts ts required -- the removal time (epoch seconds), the entry's new expiry
// @param at str required -- the removal time, ISO
// @param by str required -- the API key that removed it
// @param reason str required -- why (scrubbed free text)
//
// Every reader that honours until_ts stops seeing it. The pre-payment check ignores
// removed entries at any time (check.cypher).
MATCH (le:ListEntry {id: $id, list: $list})
WHERE le.removed_at IS NULL
SET le.until_ts_before_removal = le.until_ts,
    le.until_ts = CASE WHEN le.until_ts IS NULL OR le.until_ts > $now_ts
                       THEN $now_ts ELSE le.until_ts END,
    le.removed_at = $at, le.removed_by = $by, le.removed_reason = $reason
RETURN le.id AS id, le.entity_kind AS entity_kind, le.entity AS entity

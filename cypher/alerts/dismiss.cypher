// Dismiss an alert: it keeps the evidence it was dismissed on (the hold).
// Params: $id, $now_ts, $by, $reason.
MATCH (al:Alert {id: $id})
SET al.status = 'dismissed', al.dismissed_ts = $now_ts, al.dismissed_by = $by,
    al.dismiss_reason = $reason, al.held_evidence = al.evidence, al.updated_ts = $now_ts

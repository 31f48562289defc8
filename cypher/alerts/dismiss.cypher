// @name dismiss
// @description Dismiss an alert: it keeps the evidence it was dismissed on (the hold), so a
// @description later run re-raises it only on new evidence.
// @param id str required -- the alert
// @param now_ts ts required -- when (epoch seconds)
// @param by str required -- who dismissed it
// @param reason str = null -- why (free text)
MATCH (al:Alert {id: $id})
SET al.status = 'dismissed', al.dismissed_ts = $now_ts, al.dismissed_by = $by,
    al.dismiss_reason = $reason, al.held_evidence = al.evidence, al.updated_ts = $now_ts

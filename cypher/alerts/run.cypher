// One alert run's record, for monitoring. Params: $id, $as_of, $started_at, $summary
// (JSON text), $raised, $updated, $suppressed, $psi (float or null), $model (text or null).
MERGE (r:AlertRun {id: $id})
SET r.as_of = $as_of, r.started_at = datetime($started_at), r.summary = $summary,
    r.raised = $raised, r.updated = $updated, r.suppressed = $suppressed, r.psi = $psi,
    r.model = $model

// @name run
// @description One alert run's record, for monitoring (raised, updated and suppressed counts
// @description and the score drift).
// @param id str required -- the alert run
// @param as_of ts required -- the run's data time (epoch seconds)
// @param started_at str required -- ISO start time
// @param summary str required -- the run's summary (JSON text)
// @param raised int required -- alerts raised
// @param updated int required -- alerts refreshed
// @param suppressed int required -- candidates held back (dismissed on the same evidence)
// @param psi float = null -- the GNN score drift, if measured
// @param model str = null -- the GNN model version, if any
MERGE (r:AlertRun {id: $id})
SET r.as_of = $as_of, r.started_at = datetime($started_at), r.summary = $summary,
    r.raised = $raised, r.updated = $updated, r.suppressed = $suppressed, r.psi = $psi,
    r.model = $model

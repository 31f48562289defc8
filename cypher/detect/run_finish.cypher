// @name run_finish
// @description A detect run's end; a finished ('done') run becomes the latest one.
// @param run_id str -- the detect run
// @param finished_at str -- ISO end time
// @param status str -- done or failed
// @param summary str -- the run's summary (JSON text)
// @param signals int -- signals written
// @param calibration str -- the calibration used (JSON text)
MATCH (r:DetectRun {id: $run_id})
SET r.finished_at = datetime($finished_at), r.status = $status, r.summary = $summary,
    r.signals = $signals, r.calibration = $calibration
WITH r WHERE $status = 'done'
CALL (r) {
  MATCH (old:DetectRun {latest: true}) WHERE old <> r
  SET old.latest = false
}
SET r.latest = true
MERGE (m:Meta {key: 'detect'})
SET m.latest_run_id = r.id, m.updated_at = datetime($finished_at)

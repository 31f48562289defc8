// A reopened case withdraws its verdicts (kept, with the time; no longer labels).
// Params: $id, $now_ts, $by.
MATCH (v:Verdict {case_id: $id}) WHERE v.withdrawn_ts IS NULL
SET v.withdrawn_ts = $now_ts, v.withdrawn_by = $by
RETURN count(v) AS n

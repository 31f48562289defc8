// A reopened case withdraws its verdicts: each Verdict node stays (history, with the
// time), its VERDICT_ON relationship goes, so it is no longer a label (gnn/export.py
// reads the relationship). Params: $id, $now_ts, $by.
MATCH (v:Verdict {case_id: $id}) WHERE v.withdrawn_ts IS NULL
SET v.withdrawn_ts = $now_ts, v.withdrawn_by = $by
WITH v
OPTIONAL MATCH (v)-[r:VERDICT_ON]->()
DELETE r
RETURN count(DISTINCT v) AS n

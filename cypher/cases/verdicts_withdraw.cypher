// @name verdicts_withdraw
// @description A reopened case withdraws its verdicts: each Verdict node stays (history, with
// @description the time), its VERDICT_ON relationship goes, so it is no longer a label.
// @param id str required -- the case
// @param now_ts ts required -- when (epoch seconds)
// @param by str required -- who reopened it
//
// gnn/snapshot/export.py reads the relationship, not the node.
MATCH (v:Verdict {case_id: $id}) WHERE v.withdrawn_ts IS NULL
SET v.withdrawn_ts = $now_ts, v.withdrawn_by = $by
WITH v
OPTIONAL MATCH (v)-[r:VERDICT_ON]->()
DELETE r
RETURN count(DISTINCT v) AS n

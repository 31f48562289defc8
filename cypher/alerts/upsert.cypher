// Raise or refresh alerts. New ones get their first_raised/raised times; refreshed ones
// keep them and take the new evidence. Evidence fields are plain lists and numbers.
// Params: $rows (one map per alert), $run_id, $now_ts (epoch s, data time).
UNWIND $rows AS r
MERGE (al:Alert {id: r.id})
ON CREATE SET al.entity_kind = r.kind, al.entity_id = r.entity_id,
              al.entity_key = r.key, al.status = 'open', al.raised_ts = $now_ts,
              al.raised_run = $run_id, al.raise_reasons = r.why, al.case_id = null
SET al.banks = r.banks, al.risk = r.risk, al.band = r.band, al.gnn_score = r.gnn_score,
    al.heuristics = r.heuristics, al.clusters = r.clusters, al.money_kzt = r.money_kzt,
    al.scheme = r.scheme, al.size = r.size, al.growth_rate = r.growth_rate,
    al.priority = r.priority, al.reasons = r.reasons, al.evidence = r.evidence,
    al.seen_ts = $now_ts, al.seen_run = $run_id, al.current = true
RETURN count(al) AS n

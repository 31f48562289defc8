// @name upsert
// @description Raise or refresh alerts. New ones get their first raised times; refreshed ones
// @description keep them and take the new evidence.
// @param rows list[map] required -- one map per alert (id, kind, entity_id, key, why, banks, risk, evidence, ...)
// @param run_id str required -- the alert run
// @param now_ts ts required -- the run's data time (epoch seconds)
//
// Evidence fields are plain lists and numbers.
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

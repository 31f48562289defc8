// @name latest_runs
// @description The ids of the latest detect runs, part of the snapshot's fingerprint
// @description (gnn/snapshot/cache.py): new signals invalidate a cached snapshot.
MATCH (d:DetectRun) WHERE d.latest = true
RETURN collect(toString(d.id)) AS ids

// @name load_batches
// @description What the loads wrote so far, part of the snapshot's fingerprint
// @description (gnn/snapshot/cache.py): a new or resumed load invalidates a cached snapshot.
MATCH (b:LoadBatch)
RETURN count(b) AS n, sum(b.rows_done) AS rows, toString(max(b.updated_at)) AS last

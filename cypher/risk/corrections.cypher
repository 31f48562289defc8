// @name corrections
// @description Counts of the corrections made to the graph (retractions, confirmations, list
// @description removals, the sum of seed weights): part of the snapshot's fingerprint.
//
// Corrections change properties, not counts: a retraction, a confirmation, a reduced
// or restored seed weight, a list entry's removal. Part of the snapshot's fingerprint
// (gnn/snapshot/cache.py), so that any of them invalidates a cached snapshot.
CALL () { MATCH (i:Incident) RETURN count(i.retracted_at) AS retracted,
                                    count(CASE WHEN i.confirmed THEN 1 END) AS confirmed }
CALL () { MATCH (le:ListEntry) RETURN count(le.removed_at) AS removed }
CALL () { MATCH (:Incident)-[r:BENEFICIARY]->()
          RETURN sum(coalesce(r.seed_weight, 1.0)) AS seeded }
RETURN retracted, confirmed, removed, seeded

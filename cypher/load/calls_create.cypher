// @name calls_create
// @description Fast path of calls.cypher for batches of new calls: CREATE, not MERGE, of the
// @description CALLED relationships.
// @param call_id list[str] required -- the calls' ids
// @param caller list[str] required -- the calling phones' pseudonyms
// @param callee list[str] required -- the called phones' pseudonyms
// @param caller_foreign list[bool] required -- whether each caller is outside the +7 zone
// @param callee_foreign list[bool] required -- whether each callee is outside the +7 zone
// @param ts list[int] required -- call times (epoch seconds)
// @param duration_s list[int] required range 0..86400 -- call durations in seconds
//
// Fast path of calls.cypher (see transfers_create.cypher).
UNWIND range(0, size($call_id) - 1) AS i
MERGE (c:Phone {id: $caller[i]})
  ON CREATE SET c.foreign = $caller_foreign[i]
MERGE (e:Phone {id: $callee[i]})
  ON CREATE SET e.foreign = $callee_foreign[i]
CREATE (c)-[:CALLED {call_id: $call_id[i], ts: $ts[i], at: datetime({epochSeconds: $ts[i]}),
                     duration_s: $duration_s[i]}]->(e)

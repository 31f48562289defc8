// @name calls
// @description A batch of call records: both phones (foreign or not, on first sight) and one
// @description CALLED relationship per call id, merged so a call loaded twice is one.
// @param call_id list[str] required -- the calls' ids
// @param caller list[str] required -- the calling phones' pseudonyms
// @param callee list[str] required -- the called phones' pseudonyms
// @param caller_foreign list[bool] required -- whether each caller is outside the +7 zone
// @param callee_foreign list[bool] required -- whether each callee is outside the +7 zone
// @param ts list[int] required -- call times (epoch seconds)
// @param duration_s list[int] required range 0..86400 -- call durations in seconds
//
// Columnar batch (see transfers.cypher).
UNWIND range(0, size($call_id) - 1) AS i
MERGE (c:Phone {id: $caller[i]})
  ON CREATE SET c.foreign = $caller_foreign[i]
MERGE (e:Phone {id: $callee[i]})
  ON CREATE SET e.foreign = $callee_foreign[i]
MERGE (c)-[k:CALLED {call_id: $call_id[i]}]->(e)
  ON CREATE SET k.ts = $ts[i], k.at = datetime({epochSeconds: $ts[i]}),
                k.duration_s = $duration_s[i]

// Columnar batch (see transfers.cypher).
UNWIND range(0, size($call_id) - 1) AS i
MERGE (c:Phone {id: $caller[i]})
  ON CREATE SET c.foreign = $caller_foreign[i]
MERGE (e:Phone {id: $callee[i]})
  ON CREATE SET e.foreign = $callee_foreign[i]
MERGE (c)-[k:CALLED {call_id: $call_id[i]}]->(e)
  ON CREATE SET k.ts = $ts[i], k.at = datetime({epochSeconds: $ts[i]}),
                k.duration_s = $duration_s[i]

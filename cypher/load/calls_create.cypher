// Fast path of calls.cypher (see transfers_create.cypher).
UNWIND range(0, size($call_id) - 1) AS i
MERGE (c:Phone {id: $caller[i]})
  ON CREATE SET c.foreign = $caller_foreign[i]
MERGE (e:Phone {id: $callee[i]})
  ON CREATE SET e.foreign = $callee_foreign[i]
CREATE (c)-[:CALLED {call_id: $call_id[i], ts: $ts[i], at: datetime({epochSeconds: $ts[i]}),
                     duration_s: $duration_s[i]}]->(e)

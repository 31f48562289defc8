// Fast path of calls.cypher (see transfers_create.cypher).
UNWIND range(0, size($call_id) - 1) AS i
MERGE (c:Phone {id: $caller[i]})
MERGE (e:Phone {id: $callee[i]})
CREATE (c)-[:CALLED {call_id: $call_id[i], ts: $ts[i], at: datetime({epochSeconds: $ts[i]}),
                     duration_s: $duration_s[i]}]->(e)

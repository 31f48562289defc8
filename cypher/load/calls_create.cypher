// Fast path of calls.cypher (see transfers_create.cypher).
UNWIND $rows AS r
MERGE (c:Phone {id: r.caller})
MERGE (e:Phone {id: r.callee})
CREATE (c)-[:CALLED {call_id: r.call_id, ts: r.ts, at: datetime({epochSeconds: r.ts}),
                     duration_s: r.duration_s}]->(e)

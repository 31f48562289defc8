UNWIND $rows AS r
MERGE (c:Phone {id: r.caller})
MERGE (e:Phone {id: r.callee})
MERGE (c)-[k:CALLED {call_id: r.call_id}]->(e)
  ON CREATE SET k.ts = r.ts, k.at = datetime({epochSeconds: r.ts}), k.duration_s = r.duration_s

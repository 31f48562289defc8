// A closed case's verdict on each account it concerns (linked directly, or the subject
// of one of its alerts): the labels the next `fraudgraph train` reads (gnn/labels.py).
// Params: $id (case), $verdict, $scheme, $now_ts, $by.
MATCH (c:Case {id: $id})
CALL (c) {
  MATCH (c)-[:CONCERNS]->(a:Account) RETURN a
  UNION
  MATCH (c)-[:HAS_ALERT]->(:Alert)-[:ABOUT]->(a:Account) RETURN a
}
CREATE (v:Verdict {id: 'vrd_' + randomUUID(), case_id: c.id,
                   account: a.id, verdict: $verdict, scheme: $scheme, at_ts: $now_ts,
                   by: $by})-[:VERDICT_ON]->(a)
RETURN collect(a.id) AS accounts

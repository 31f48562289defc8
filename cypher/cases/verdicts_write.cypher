// @name verdicts_write
// @description A closed case's verdict on each account it concerns (linked directly, or the
// @description subject of one of its alerts): the labels the next `fraudgraph train` reads
// @description (gnn/snapshot/labels.py).
// @param id str required -- the case
// @param verdict str required -- the case's verdict
// @param scheme str = null -- the scheme, if known
// @param now_ts ts required -- when (epoch seconds)
// @param by str required -- who closed the case
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

// @name shared_identifiers
// @title Who shares identifiers with this entity
// @description For an account or person: the other accounts on its devices, the other persons
// @description on its phones, and the holder's other accounts. For a device or phone: every
// @description account or person on it. `via_degree` shows how crowded the shared identifier is.
// @returns rows
// @param id id required -- an account, person, phone or device id
// @param limit int = 200 range 1..2000 -- at most this many rows
CALL () {
  MATCH (n:Account {id: $id}) RETURN n
  UNION MATCH (n:Person {id: $id}) RETURN n
  UNION MATCH (n:Phone {id: $id}) RETURN n
  UNION MATCH (n:Device {id: $id}) RETURN n
}
WITH n,
     CASE WHEN n:Account THEN [n] WHEN n:Person THEN [(n)-[:HOLDS]->(a:Account) | a]
          ELSE [] END AS accs,
     CASE WHEN n:Person THEN [n] WHEN n:Account THEN [(p:Person)-[:HOLDS]->(n) | p]
          ELSE [] END AS persons
CALL (n, accs, persons) {
  UNWIND accs AS a
  MATCH (a)-[:USED]->(d:Device)<-[u:USED]-(o:Account)
  WHERE NOT o IN accs
  RETURN 'device' AS via_kind, d.id AS via_id, COUNT { (d)<-[:USED]-() } AS via_degree,
         'account' AS other_kind, o.id AS other_id, o.holder AS other_holder,
         u.first_ts AS since_ts
  UNION
  UNWIND persons AS p
  MATCH (p)-[:HAS_PHONE]->(ph:Phone)<-[h:HAS_PHONE]-(q:Person)
  WHERE q <> p
  RETURN 'phone' AS via_kind, ph.id AS via_id, COUNT { (ph)<-[:HAS_PHONE]-() } AS via_degree,
         'person' AS other_kind, q.id AS other_id, q.id AS other_holder, h.since_ts AS since_ts
  UNION
  UNWIND persons AS p
  MATCH (p)-[:HOLDS]->(o:Account)
  WHERE NOT o IN accs AND n:Account
  RETURN 'holder' AS via_kind, p.id AS via_id, COUNT { (p)-[:HOLDS]->() } AS via_degree,
         'account' AS other_kind, o.id AS other_id, p.id AS other_holder, o.opened_ts AS since_ts
  UNION
  MATCH (n:Device)<-[u:USED]-(o:Account)
  RETURN 'device' AS via_kind, n.id AS via_id, COUNT { (n)<-[:USED]-() } AS via_degree,
         'account' AS other_kind, o.id AS other_id, o.holder AS other_holder,
         u.first_ts AS since_ts
  UNION
  MATCH (n:Phone)<-[h:HAS_PHONE]-(q:Person)
  RETURN 'phone' AS via_kind, n.id AS via_id, COUNT { (n)<-[:HAS_PHONE]-() } AS via_degree,
         'person' AS other_kind, q.id AS other_id, q.id AS other_holder, h.since_ts AS since_ts
}
RETURN via_kind, via_id, via_degree, other_kind, other_id, other_holder, since_ts
ORDER BY via_degree, via_kind, via_id, other_id
LIMIT $limit

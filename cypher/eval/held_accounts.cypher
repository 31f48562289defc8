// @name held_accounts
// @description The accounts each of the given persons holds.
// @param ids list[str] -- person ids
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[:HOLDS]->(a:Account)
RETURN p.id AS person, collect(a.id) AS accounts

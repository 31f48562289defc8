// @name what_links
// @title What links these entities
// @description Given a list of entity ids, the subgraph of one shortest path between every
// @description pair (over the chosen types, not through banks or merchants), plus the ids
// @description that were not found and the pairs that are not linked within max_hops.
// @returns graph
// @param ids list[id] required items 2..20 -- the entities to link
// @param max_hops int = 4 range 1..6 -- longest link considered
// @param rel_types list[str] = ["HOLDS","USED","HAS_PHONE","TRANSFERRED","CALLED","VICTIM","BENEFICIARY","CALLER","LISTS"] items 1..12 choices HOLDS,USED,HAS_PHONE,SIM_EVENT,TRANSFERRED,CALLED,VICTIM,BENEFICIARY,CALLER,LISTS,FLAGS,AT_BANK -- relationship types to follow
UNWIND apoc.coll.toSet($ids) AS wanted
CALL (wanted) {
  MATCH (n:Account {id: wanted}) RETURN n
  UNION MATCH (n:Person {id: wanted}) RETURN n
  UNION MATCH (n:Phone {id: wanted}) RETURN n
  UNION MATCH (n:Device {id: wanted}) RETURN n
  UNION MATCH (n:Incident {id: wanted}) RETURN n
  UNION MATCH (n:ListEntry {id: wanted}) RETURN n
}
WITH collect(n) AS found
WITH found, [i IN apoc.coll.toSet($ids) WHERE NOT i IN [f IN found | f.id]] AS missing
CALL (found) {
  UNWIND range(0, size(found) - 2) AS i
  UNWIND range(i + 1, size(found) - 1) AS j
  WITH found[i] AS a, found[j] AS b
  OPTIONAL MATCH p = ANY SHORTEST (a) ((x)-[r]-(y)
                       WHERE type(r) IN $rel_types AND NOT y:Bank
                         AND NOT (y:Account AND y.kind = 'merchant')){1,6} (b)
  WITH a, b, CASE WHEN p IS NOT NULL AND length(p) <= $max_hops THEN p END AS p
  RETURN collect(p) AS ps, collect(CASE WHEN p IS NULL THEN [a.id, b.id] END) AS unlinked
}
WITH missing, unlinked, found,
     apoc.coll.toSet(found + apoc.coll.flatten([q IN ps | nodes(q)])) AS ns,
     apoc.coll.toSet(apoc.coll.flatten([q IN ps | relationships(q)])) AS rs
RETURN [x IN ns | {id: x.id, labels: labels(x), props: properties(x)}] AS nodes,
       [r IN rs | {type: type(r), source: startNode(r).id, target: endNode(r).id,
                   props: properties(r)}] AS edges,
       missing, unlinked

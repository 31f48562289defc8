// @name shortest_paths
// @title Shortest paths between two entities
// @description All shortest paths (up to `paths` of them) between two entities over the chosen
// @description relationship types, never through a bank node and, unless allowed, never
// @description through a merchant account (everyone pays the same supermarket).
// @returns graph
// @param source id required -- one end
// @param target id required -- the other end
// @param max_hops int = 4 range 1..6 -- longest path considered
// @param rel_types list[str] = ["HOLDS","USED","HAS_PHONE","TRANSFERRED","CALLED","VICTIM","BENEFICIARY","CALLER","LISTS"] items 1..12 choices HOLDS,USED,HAS_PHONE,SIM_EVENT,TRANSFERRED,CALLED,VICTIM,BENEFICIARY,CALLER,LISTS,FLAGS,AT_BANK -- relationship types to follow
// @param via_merchants bool = false -- allow paths through merchant accounts
// @param paths int = 5 range 1..50 -- at most this many paths
CALL () {
  MATCH (n:Account {id: $source}) RETURN n
  UNION MATCH (n:Person {id: $source}) RETURN n
  UNION MATCH (n:Phone {id: $source}) RETURN n
  UNION MATCH (n:Device {id: $source}) RETURN n
  UNION MATCH (n:Incident {id: $source}) RETURN n
  UNION MATCH (n:ListEntry {id: $source}) RETURN n
}
WITH n AS a
CALL () {
  MATCH (n:Account {id: $target}) RETURN n
  UNION MATCH (n:Person {id: $target}) RETURN n
  UNION MATCH (n:Phone {id: $target}) RETURN n
  UNION MATCH (n:Device {id: $target}) RETURN n
  UNION MATCH (n:Incident {id: $target}) RETURN n
  UNION MATCH (n:ListEntry {id: $target}) RETURN n
}
WITH a, n AS b WHERE a <> b
MATCH p = ALL SHORTEST (a) ((x)-[r]-(y)
            WHERE type(r) IN $rel_types AND NOT y:Bank
              AND ($via_merchants OR y.id = $target OR NOT (y:Account AND y.kind = 'merchant'))
          ){1,6} (b)
WHERE length(p) <= $max_hops
WITH p LIMIT $paths
WITH collect(p) AS ps
WITH ps, apoc.coll.toSet(apoc.coll.flatten([q IN ps | nodes(q)])) AS ns,
     apoc.coll.toSet(apoc.coll.flatten([q IN ps | relationships(q)])) AS rs
RETURN [x IN ns | {id: x.id, labels: labels(x), props: properties(x)}] AS nodes,
       [r IN rs | {type: type(r), source: startNode(r).id, target: endNode(r).id,
                   props: properties(r)}] AS edges,
       [q IN ps | [x IN nodes(q) | x.id]] AS paths

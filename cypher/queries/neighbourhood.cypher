// @name neighbourhood
// @title k-hop neighbourhood of one entity
// @description The entities within `hops` hops of one start entity, breadth first, over the
// @description chosen relationship types and (for timed relationships) the time window. At
// @description most `per_node` neighbours are taken from any one node, so hubs (merchants,
// @description kiosks) do not swamp the answer, and at most `max_nodes` nodes are returned.
// @returns graph
// @param id id required -- the start entity: an account, person, phone, device, incident or list entry id
// @param hops int = 2 range 1..4 -- how many hops
// @param rel_types list[str] = ["HOLDS","USED","HAS_PHONE","TRANSFERRED","CALLED","VICTIM","BENEFICIARY","CALLER","LISTS"] items 1..12 choices HOLDS,USED,HAS_PHONE,SIM_EVENT,TRANSFERRED,CALLED,VICTIM,BENEFICIARY,CALLER,LISTS,FLAGS,AT_BANK -- relationship types to follow
// @param from_ts ts = null -- only timed relationships at or after this (epoch seconds or ISO)
// @param to_ts ts = null -- only timed relationships at or before this
// @param max_nodes int = 200 range 1..2000 -- cap on the nodes returned
// @param per_node int = 50 range 1..1000 -- cap on the neighbours taken from one node
//
// The levels are unrolled (a query cannot loop); each level reads only the frontier's
// relationships, LIMITed per node, and the seen-set test is a set subtraction.
CALL () {
  MATCH (n:Account {id: $id}) RETURN n
  UNION MATCH (n:Person {id: $id}) RETURN n
  UNION MATCH (n:Phone {id: $id}) RETURN n
  UNION MATCH (n:Device {id: $id}) RETURN n
  UNION MATCH (n:Incident {id: $id}) RETURN n
  UNION MATCH (n:ListEntry {id: $id}) RETURN n
  UNION MATCH (n:Bank {id: $id}) RETURN n
}
WITH n AS start, [n] AS frontier, [n] AS seen, [] AS rels, [n] AS last
CALL (frontier) {
  UNWIND (CASE WHEN $hops >= 1 THEN frontier ELSE [] END) AS x
  CALL (x) {
    MATCH (x)-[r]-(y)
    WHERE type(r) IN $rel_types
      AND ($from_ts IS NULL OR coalesce(r.ts, r.last_ts, $from_ts) >= $from_ts)
      AND ($to_ts IS NULL OR coalesce(r.ts, r.first_ts, r.since_ts, $to_ts) <= $to_ts)
    RETURN r, y LIMIT $per_node
  }
  RETURN collect(r) AS found, collect(DISTINCT y) AS ys
}
WITH start, seen, last, rels + found AS rels,
     apoc.coll.subtract(ys, seen)[..$max_nodes - size(seen)] AS next
WITH start, seen + next AS seen, next AS frontier, rels,
     CASE WHEN size(next) > 0 THEN next ELSE last END AS last
CALL (frontier) {
  UNWIND (CASE WHEN $hops >= 2 THEN frontier ELSE [] END) AS x
  CALL (x) {
    MATCH (x)-[r]-(y)
    WHERE type(r) IN $rel_types
      AND ($from_ts IS NULL OR coalesce(r.ts, r.last_ts, $from_ts) >= $from_ts)
      AND ($to_ts IS NULL OR coalesce(r.ts, r.first_ts, r.since_ts, $to_ts) <= $to_ts)
    RETURN r, y LIMIT $per_node
  }
  RETURN collect(r) AS found, collect(DISTINCT y) AS ys
}
WITH start, seen, last, rels + found AS rels,
     apoc.coll.subtract(ys, seen)[..$max_nodes - size(seen)] AS next
WITH start, seen + next AS seen, next AS frontier, rels,
     CASE WHEN size(next) > 0 THEN next ELSE last END AS last
CALL (frontier) {
  UNWIND (CASE WHEN $hops >= 3 THEN frontier ELSE [] END) AS x
  CALL (x) {
    MATCH (x)-[r]-(y)
    WHERE type(r) IN $rel_types
      AND ($from_ts IS NULL OR coalesce(r.ts, r.last_ts, $from_ts) >= $from_ts)
      AND ($to_ts IS NULL OR coalesce(r.ts, r.first_ts, r.since_ts, $to_ts) <= $to_ts)
    RETURN r, y LIMIT $per_node
  }
  RETURN collect(r) AS found, collect(DISTINCT y) AS ys
}
WITH start, seen, last, rels + found AS rels,
     apoc.coll.subtract(ys, seen)[..$max_nodes - size(seen)] AS next
WITH start, seen + next AS seen, next AS frontier, rels,
     CASE WHEN size(next) > 0 THEN next ELSE last END AS last
CALL (frontier) {
  UNWIND (CASE WHEN $hops >= 4 THEN frontier ELSE [] END) AS x
  CALL (x) {
    MATCH (x)-[r]-(y)
    WHERE type(r) IN $rel_types
      AND ($from_ts IS NULL OR coalesce(r.ts, r.last_ts, $from_ts) >= $from_ts)
      AND ($to_ts IS NULL OR coalesce(r.ts, r.first_ts, r.since_ts, $to_ts) <= $to_ts)
    RETURN r, y LIMIT $per_node
  }
  RETURN collect(r) AS found, collect(DISTINCT y) AS ys
}
WITH start, seen, last, rels + found AS rels,
     apoc.coll.subtract(ys, seen)[..$max_nodes - size(seen)] AS next
WITH start, seen + next AS nodes, rels,
     CASE WHEN size(next) > 0 THEN next ELSE last END AS last
WITH start, nodes, rels, last,
     apoc.map.fromLists([x IN nodes | elementId(x)], [x IN nodes | true]) AS idx
// The outermost nodes' links among themselves (and back), which no level expanded.
CALL (last, idx) {
  UNWIND last AS x
  CALL (x, idx) {
    MATCH (x)-[r]-(y)
    WHERE idx[elementId(y)] AND type(r) IN $rel_types
      AND ($from_ts IS NULL OR coalesce(r.ts, r.last_ts, $from_ts) >= $from_ts)
      AND ($to_ts IS NULL OR coalesce(r.ts, r.first_ts, r.since_ts, $to_ts) <= $to_ts)
    RETURN r LIMIT $per_node
  }
  RETURN collect(r) AS closing
}
WITH start, nodes, apoc.coll.toSet([r IN rels + closing
                                    WHERE idx[elementId(startNode(r))]
                                      AND idx[elementId(endNode(r))]]) AS rels
RETURN start.id AS start,
       [x IN nodes | {id: x.id, labels: labels(x), props: properties(x)}] AS nodes,
       [r IN rels | {type: type(r), source: startNode(r).id, target: endNode(r).id,
                     props: properties(r)}] AS edges

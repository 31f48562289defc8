// @name entity_links
// @description Black/grey-listed entities and incident beneficiaries within two hops of one
// @description entity, as paths.
// @template LABEL -- the entity's label, from a fixed map in api/routes/entities.py (LABEL_OF)
// @param id id required -- the entity
// @param now ts required -- the time list entries are active at (epoch seconds)
// @param fanout int required range 1.. -- first-hop neighbours taken at most
// @param hub_degree int required range 1.. -- first-hop nodes of a higher degree are not expanded
// @param per_branch int required range 1.. -- second-hop finds per first-hop node at most
// @param limit int required range 1.. -- paths returned at most
//
// Hubs (degree > hub_degree, e.g. a merchant) are not expanded through: a path via a
// supermarket says nothing, and expanding it would cost the whole store.
// A retracted incident (POST /v1/incidents/{id}/retract) is no evidence.
MATCH (e:$$LABEL$$ {id: $id})
CALL (e) {
  MATCH (e)-[r1:TRANSFERRED|HOLDS|USED|HAS_PHONE|CALLED]-(x1)
  WHERE x1 <> e
  WITH DISTINCT x1, type(r1) AS t1, startNode(r1) = e AS out1
  LIMIT $fanout
  RETURN x1, t1, out1
}
CALL (e, x1) {
  MATCH (x1)-[r2:TRANSFERRED|HOLDS|USED|HAS_PHONE|CALLED]-(x2)
  WHERE x2 <> e AND x2 <> x1 AND COUNT { (x1)--() } <= $hub_degree
    AND (EXISTS { MATCH (le:ListEntry)-[:LISTS]->(x2)
                  WHERE le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now) }
         OR EXISTS { (i:Incident)-[:BENEFICIARY]->(x2) WHERE i.retracted_at IS NULL })
  WITH DISTINCT x2, type(r2) AS t2, startNode(r2) = x1 AS out2
  LIMIT $per_branch
  RETURN collect({x2: x2, t2: t2, out2: out2}) AS far
}
WITH e, x1, t1, out1, far,
     [(le:ListEntry)-[:LISTS]->(x1)
      WHERE le.since_ts <= $now AND (le.until_ts IS NULL OR le.until_ts > $now)
      | le {.id, .list}] AS lists1,
     [(i:Incident)-[:BENEFICIARY]->(x1) WHERE i.retracted_at IS NULL | i.id][..3] AS inc1
WHERE size(lists1) > 0 OR size(inc1) > 0 OR size(far) > 0
UNWIND (CASE WHEN size(lists1) > 0 OR size(inc1) > 0 THEN [null] ELSE [] END) + far AS hop2
WITH x1, t1, out1, lists1, inc1, hop2, hop2.x2 AS x2
RETURN labels(x1)[0] AS k1, x1.id AS id1, t1, out1,
       labels(x2)[0] AS k2, x2.id AS id2, hop2.t2 AS t2, hop2.out2 AS out2,
       CASE WHEN x2 IS NULL THEN lists1
            ELSE coalesce([(le:ListEntry)-[:LISTS]->(x2) WHERE le.since_ts <= $now
                  AND (le.until_ts IS NULL OR le.until_ts > $now) | le {.id, .list}], []) END
         AS lists,
       CASE WHEN x2 IS NULL THEN inc1
            ELSE coalesce([(i:Incident)-[:BENEFICIARY]->(x2) WHERE i.retracted_at IS NULL | i.id][..3],
                     []) END
         AS incidents
LIMIT $limit

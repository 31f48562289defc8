// @name link_entities
// @description Entities of one kind into a case (the case takes their banks); returns the ids
// @description found.
// @template LABEL -- the entities' label, from a fixed map in casework/case_store.py
// @param id str required -- the case
// @param ids list[id] required -- the entities
MATCH (c:Case {id: $id})
UNWIND $ids AS eid
MATCH (n:$$LABEL$$ {id: eid})
MERGE (c)-[:CONCERNS]->(n)
WITH c, n, CASE WHEN n:Account THEN [n.bank]
                ELSE [(n)-[:HOLDS]->(a:Account) | a.bank] END AS nb
SET c.banks = reduce(b = coalesce(c.banks, []), x IN nb |
                     CASE WHEN x IS NULL OR x IN b THEN b ELSE b + x END)
RETURN collect(n.id) AS found

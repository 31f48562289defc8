// @name bank_exists
// @description Is this a participant bank fraudgraph knows (a Bank node, from the banks feed)?
// @param bank str required -- the bank code
OPTIONAL MATCH (b:Bank {id: $bank})
RETURN b IS NOT NULL AS known

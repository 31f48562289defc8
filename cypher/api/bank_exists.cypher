// Is this a participant bank fraudgraph knows (a Bank node, from the banks feed)?
OPTIONAL MATCH (b:Bank {id: $bank})
RETURN b IS NOT NULL AS known

UNWIND $rows AS code
MERGE (:Bank {id: code})

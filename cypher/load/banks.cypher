// @name banks
// @description The participant banks named by a batch, as Bank nodes (merged, so a bank
// @description named again is one node).
// @param rows list[str] required -- bank codes
UNWIND $rows AS code
MERGE (:Bank {id: code})

// @name await_indexes
// @description Wait (up to 300 s) until the new indexes are online.
CALL db.awaitIndexes(300)

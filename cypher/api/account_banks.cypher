// @name account_banks
// @description The bank of each of the given accounts (unknown ids are left out).
// @param ids list[id] required -- account ids
UNWIND $ids AS aid
MATCH (a:Account {id: aid})
RETURN a.id AS id, a.bank AS bank

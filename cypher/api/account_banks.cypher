UNWIND $ids AS aid
MATCH (a:Account {id: aid})
RETURN a.id AS id, a.bank AS bank

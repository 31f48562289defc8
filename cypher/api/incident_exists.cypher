// @name incident_exists
// @description Before a new report is written: is the id taken, and which of the accounts
// @description are known (with their banks: a bank reports only for its own customer as the
// @description victim).
// @param id str required -- the new incident's id
// @param accounts list[id] required -- the accounts the report names
OPTIONAL MATCH (i:Incident {id: $id})
RETURN i IS NOT NULL AS exists, i.reporter AS reporter,
       [aid IN $accounts WHERE EXISTS { MATCH (:Account {id: aid}) }] AS known,
       COLLECT { UNWIND $accounts AS aid MATCH (a:Account {id: aid})
                 RETURN {id: a.id, bank: a.bank} } AS banks

// Before a new report is written: is the id taken, and which of the accounts are known
// (with their banks: a bank reports only for its own customer as the victim).
OPTIONAL MATCH (i:Incident {id: $id})
RETURN i IS NOT NULL AS exists, i.reporter AS reporter,
       [aid IN $accounts WHERE EXISTS { MATCH (:Account {id: aid}) }] AS known,
       COLLECT { UNWIND $accounts AS aid MATCH (a:Account {id: aid})
                 RETURN {id: a.id, bank: a.bank} } AS banks

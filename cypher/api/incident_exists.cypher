// Before a new report is written: is the id taken, and which of the accounts are known.
OPTIONAL MATCH (i:Incident {id: $id})
RETURN i IS NOT NULL AS exists, i.reporter AS reporter,
       [aid IN $accounts WHERE EXISTS { MATCH (:Account {id: aid}) }] AS known

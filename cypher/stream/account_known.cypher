// @name account_known
// @description Whether an account pseudonym is a participant's account loaded from an
// @description accounts feed (it has a bank), as cypher/load/known_accounts.cypher counts them:
// @description the stream asks per account instead of reading them all.
// @param id id required -- an account pseudonym
OPTIONAL MATCH (a:Account {id: $id})
RETURN a IS NOT NULL AND a.bank IS NOT NULL AS known

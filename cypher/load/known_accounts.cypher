// @name known_accounts
// @description The ids of accounts loaded from an accounts feed (they have a bank), not
// @description the bare ones a list entry MERGEd.
MATCH (a:Account) WHERE a.bank IS NOT NULL
RETURN a.id AS id

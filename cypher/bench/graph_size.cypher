// @name graph_size
// @description Accounts and transfers in the bench graph (count-store look-ups).
CALL () { MATCH (a:Account) RETURN count(a) AS accounts }
CALL () { MATCH ()-[t:TRANSFERRED]->() RETURN count(t) AS transfers }
RETURN accounts, transfers

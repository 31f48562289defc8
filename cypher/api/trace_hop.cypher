// @name trace_hop
// @description One hop of a money trace: transfers out of the frontier accounts, each no
// @description earlier than the money arrived there and within the window.
// @param frontier list[map] required -- [{id (account), since (epoch seconds)}]
// @param until ts required -- the window's end (epoch seconds)
// @param limit int required range 1.. -- transfers returned at most
//
// `exit`: the kind of a counterparty outside the participants the money left to (an
// :External).
UNWIND $frontier AS f
MATCH (a:Account {id: f.id})-[t:TRANSFERRED]->(b:Account)
WHERE t.ts >= f.since AND t.ts <= $until
RETURN t.tx_id AS tx_id, a.id AS src, b.id AS dst, t.ts AS ts, t.amount AS amount,
       t.channel AS channel, t.interbank AS interbank,
       CASE WHEN b:External THEN b.external_kind END AS exit
ORDER BY ts
LIMIT $limit

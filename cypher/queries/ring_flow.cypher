// @name ring_flow
// @title Members and money flow of a ring
// @description For a set of account ids: each member (bank, kind, holder, money in and out,
// @description and how much of it stays inside the ring) and the internal transfers
// @description aggregated per ordered pair (count, total, first and last time).
// @returns graph
// @param ids list[id] required items 1..500 -- the ring's account ids
// @param from_ts ts = null -- transfers at or after this (epoch seconds or ISO)
// @param to_ts ts = null -- transfers at or before this
UNWIND apoc.coll.toSet($ids) AS aid
MATCH (a:Account {id: aid})
WITH collect(a) AS members
WITH members, apoc.map.fromLists([m IN members | m.id], [m IN members | true]) AS inside,
     coalesce($from_ts, -9223372036854775807) AS lo, coalesce($to_ts, 9223372036854775807) AS hi
UNWIND members AS a
CALL (a, inside, lo, hi) {
  OPTIONAL MATCH (a)-[t:TRANSFERRED]->(b)
  WHERE t.ts >= lo AND t.ts <= hi
  WITH b, count(t) AS n, sum(t.amount) AS total, min(t.ts) AS first_ts, max(t.ts) AS last_ts
  RETURN sum(total) AS out_total,
         sum(CASE WHEN inside[b.id] THEN total ELSE 0 END) AS out_inside,
         collect(CASE WHEN inside[b.id] THEN {type: 'FLOW', source: a.id, target: b.id,
                 props: {transfers: n, total: total, first_ts: first_ts, last_ts: last_ts}}
                 END) AS flows
}
CALL (a, inside, lo, hi) {
  OPTIONAL MATCH (a)<-[t:TRANSFERRED]-(c)
  WHERE t.ts >= lo AND t.ts <= hi
  RETURN sum(t.amount) AS in_total,
         sum(CASE WHEN inside[c.id] THEN t.amount ELSE 0 END) AS in_inside
}
WITH collect({id: a.id, labels: labels(a),
              props: {bank: a.bank, kind: a.kind, holder: a.holder, opened_ts: a.opened_ts,
                      in_total: in_total, in_inside: in_inside,
                      out_total: out_total, out_inside: out_inside}}) AS nodes,
     apoc.coll.flatten(collect(flows)) AS edges
RETURN nodes, edges,
       [i IN apoc.coll.toSet($ids) WHERE NOT i IN [x IN nodes | x.id]] AS missing,
       {members: size(nodes), holders: size(apoc.coll.toSet([x IN nodes | x.props.holder])),
        internal_total: reduce(s = 0.0, e IN edges | s + e.props.total),
        internal_transfers: reduce(s = 0, e IN edges | s + e.props.transfers)} AS summary

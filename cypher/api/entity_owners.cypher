// @name entity_owners
// @description Who holds each entity (api/visibility.py): the banks an entity belongs to and
// @description its band and risk, for entities of the four kinds at once.
// @param accounts list[id] required -- account ids
// @param persons list[id] required -- person ids
// @param phones list[id] required -- phone ids
// @param devices list[id] required -- device ids
//
// An account: its bank. A person: the banks of the accounts it holds. A phone: the banks
// of its holders' accounts. A device: the banks of the accounts that used it. Every
// branch anchors on a unique-constraint lookup.
CALL () {
  UNWIND $accounts AS i
  MATCH (a:Account {id: i})
  RETURN a.id AS id, [a.bank] AS banks, a.risk_band AS band, a.risk AS risk
  UNION ALL
  UNWIND $persons AS i
  MATCH (p:Person {id: i})
  RETURN p.id AS id, [(p)-[:HOLDS]->(a:Account) | a.bank] AS banks,
         p.risk_band AS band, p.risk AS risk
  UNION ALL
  UNWIND $phones AS i
  MATCH (ph:Phone {id: i})
  RETURN ph.id AS id, [(ph)<-[:HAS_PHONE]-(:Person)-[:HOLDS]->(a:Account) | a.bank] AS banks,
         ph.risk_band AS band, ph.risk AS risk
  UNION ALL
  UNWIND $devices AS i
  MATCH (d:Device {id: i})
  RETURN d.id AS id, [(a:Account)-[:USED]->(d) | a.bank] AS banks,
         d.risk_band AS band, d.risk AS risk
}
RETURN id, banks, band, risk

// @name list_entries
// @description A batch of black/grey list entries, each LISTS-linked to the account, person,
// @description phone or device it names.
// @param rows list[map] required -- {id, list, reason, source, since_ts, until_ts, entity_kind, entity} (graph_loader.feeds.list_entry)
//
// A list entry may name an entity fraudgraph has not seen yet (a number from the police,
// a card of another bank), so the entity is MERGEd, not required.
UNWIND $rows AS r
MERGE (le:ListEntry {id: r.id})
SET le.list = r.list, le.reason = r.reason, le.source = r.source, le.since_ts = r.since_ts,
    le.until_ts = r.until_ts, le.entity_kind = r.entity_kind, le.entity = r.entity
WITH le, r
CALL (le, r) {
  WITH le, r WHERE r.entity_kind = 'account'
  MERGE (e:Account {id: r.entity}) MERGE (le)-[:LISTS]->(e)
}
CALL (le, r) {
  WITH le, r WHERE r.entity_kind = 'person'
  MERGE (e:Person {id: r.entity}) MERGE (le)-[:LISTS]->(e)
}
CALL (le, r) {
  WITH le, r WHERE r.entity_kind = 'phone'
  MERGE (e:Phone {id: r.entity}) MERGE (le)-[:LISTS]->(e)
}
CALL (le, r) {
  WITH le, r WHERE r.entity_kind = 'device'
  MERGE (e:Device {id: r.entity}) MERGE (le)-[:LISTS]->(e)
}

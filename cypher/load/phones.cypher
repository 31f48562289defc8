// @name phones
// @description A batch of SIM events: the phone and its holder, one SIM_EVENT per event id,
// @description HAS_PHONE since the earliest event, and the operator of the latest event.
// @param event_id list[str] required -- the events' ids
// @param phone list[str] required -- the phones' pseudonyms
// @param holder list[str] required -- the holders' pseudonyms (Person ids)
// @param event list[str] required choices new_sim,swap,port -- the event kinds
// @param operator list[str] required -- the operators' codes
// @param ts list[int] required -- event times (epoch seconds)
// @param foreign list[bool] required -- whether each number is outside the +7 zone
//
// Columnar batch (see transfers.cypher).
UNWIND range(0, size($event_id) - 1) AS i
WITH $event_id[i] AS event_id, $phone[i] AS phone, $holder[i] AS holder,
     $event[i] AS event, $operator[i] AS operator, $ts[i] AS ts, $foreign[i] AS foreign
MERGE (ph:Phone {id: phone})
  ON CREATE SET ph.foreign = foreign
MERGE (p:Person {id: holder})
MERGE (p)-[s:SIM_EVENT {event_id: event_id}]->(ph)
  ON CREATE SET s.kind = event, s.ts = ts, s.operator = operator
MERGE (p)-[h:HAS_PHONE]->(ph)
  ON CREATE SET h.since_ts = ts
SET h.since_ts = CASE WHEN ts < h.since_ts THEN ts ELSE h.since_ts END,
    ph.operator = CASE WHEN coalesce(ph.last_sim_event_ts, 0) <= ts THEN operator ELSE ph.operator END,
    ph.last_sim_event_ts = CASE WHEN coalesce(ph.last_sim_event_ts, 0) < ts THEN ts ELSE ph.last_sim_event_ts END

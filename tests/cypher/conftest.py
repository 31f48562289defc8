"""Tiny hand-built graphs for heuristic and query tests.

`Builder` collects entities with exactly the labels, relationship types and properties
the loader writes (cypher/load/*.cypher) and CREATEs them in one transaction.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from cypher.heuristics import Hit, load_heuristics, resolve_params, run_heuristic

DAY = 86_400
HOUR = 3_600
T0 = 1_780_000_000  # 2026-05-28T20:26:40Z
AS_OF = T0 + 10 * DAY
WINDOW = 30 * DAY

_CREATE = [
    ("banks", "UNWIND $rows AS r CREATE (:Bank {id: r})"),
    ("persons", "UNWIND $rows AS r CREATE (:Person {id: r})"),
    ("phones", "UNWIND $rows AS r CREATE (:Phone {id: r})"),
    ("devices", "UNWIND $rows AS r CREATE (:Device {id: r.id, platform: r.platform, "
                "first_seen_ts: r.ts})"),
    ("accounts", """UNWIND $rows AS r
        MATCH (p:Person {id: r.holder}), (b:Bank {id: r.bank})
        CREATE (p)-[:HOLDS]->(a:Account {id: r.id, bank: r.bank, kind: r.kind,
          holder: r.holder, opened_ts: r.opened_ts,
          opened_at: datetime({epochSeconds: r.opened_ts})})-[:AT_BANK]->(b)"""),
    # As the loader writes a counterparty outside the participants (cypher/load/transfers).
    ("externals", """UNWIND $rows AS r
        CREATE (:Account:External {id: r.id, external_kind: r.kind, kind: 'external'})"""),
    ("logins", """UNWIND $rows AS r
        MATCH (a:Account {id: r.account}), (d:Device {id: r.device})
        CREATE (a)-[:USED {first_ts: r.first_ts, last_ts: r.last_ts, last_ip: r.ip}]->(d)"""),
    ("has_phone", """UNWIND $rows AS r
        MATCH (p:Person {id: r.person}), (ph:Phone {id: r.phone})
        CREATE (p)-[:HAS_PHONE {since_ts: r.since_ts}]->(ph)"""),
    ("sims", """UNWIND $rows AS r
        MATCH (p:Person {id: r.person}), (ph:Phone {id: r.phone})
        CREATE (p)-[:SIM_EVENT {event_id: r.event_id, kind: r.kind, ts: r.ts,
                                operator: r.operator}]->(ph)
        SET ph.last_sim_event_ts = CASE WHEN coalesce(ph.last_sim_event_ts, 0) < r.ts
                                   THEN r.ts ELSE ph.last_sim_event_ts END,
            ph.operator = r.operator"""),
    ("transfers", """UNWIND $rows AS r
        MATCH (a:Account {id: r.src}), (b:Account {id: r.dst})
        CREATE (a)-[:TRANSFERRED {tx_id: r.tx_id, amount: r.amount, ts: r.ts,
          at: datetime({epochSeconds: r.ts}), channel: r.channel,
          interbank: r.interbank}]->(b)"""),
    ("calls", """UNWIND $rows AS r
        MATCH (c:Phone {id: r.caller}), (e:Phone {id: r.callee})
        CREATE (c)-[:CALLED {call_id: r.call_id, ts: r.ts, at: datetime({epochSeconds: r.ts}),
                             duration_s: r.duration_s}]->(e)"""),
    ("incidents", """UNWIND $rows AS r
        MATCH (v:Account {id: r.victim})
        CREATE (i:Incident {id: r.id, reported_ts: r.reported_ts,
          reported_at: datetime({epochSeconds: r.reported_ts}), reporter: r.reporter,
          scheme: r.scheme, amount: r.amount, occurred_ts: r.occurred_ts})-[:VICTIM]->(v)
        WITH i, r
        CALL (i, r) { UNWIND r.beneficiaries AS bid MATCH (b:Account {id: bid})
                      CREATE (i)-[:BENEFICIARY]->(b) }
        CALL (i, r) { WITH i, r WHERE r.caller IS NOT NULL
                      MATCH (ph:Phone {id: r.caller}) CREATE (i)-[:CALLER]->(ph) }"""),
    ("entries", """UNWIND $rows AS r
        MATCH (e {id: r.entity}) WHERE e:Account OR e:Person OR e:Phone OR e:Device
        CREATE (le:ListEntry {id: r.id, list: r.list, reason: r.reason, source: r.source,
          since_ts: r.since_ts, until_ts: r.until_ts, entity_kind: r.entity_kind,
          entity: r.entity})-[:LISTS]->(e)"""),
]


@dataclass
class Builder:
    """Entities of a test graph; `commit` writes them. Ids are free-form test strings."""

    rows: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k, _ in _CREATE})
    _seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    _logins: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _has_phone: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def _once(self, kind: str, value: Any) -> None:
        if value not in self.rows[kind]:
            self.rows[kind].append(value)

    def external(self, aid: str, kind: str = "card") -> str:
        """A counterparty outside the participants: no holder, no bank."""
        if all(x["id"] != aid for x in self.rows["externals"]):
            self.rows["externals"].append({"id": aid, "kind": kind})
        return aid

    def person(self, pid: str) -> str:
        self._once("persons", pid)
        return pid

    def phone(self, phid: str) -> str:
        self._once("phones", phid)
        return phid

    def device(self, did: str, ts: int = T0 - 400 * DAY) -> str:
        if all(d["id"] != did for d in self.rows["devices"]):
            self.rows["devices"].append({"id": did, "platform": "android", "ts": ts})
        return did

    def account(self, aid: str, holder: str, *, bank: str = "KASPI", kind: str = "personal",
                opened_ts: int = T0 - 365 * DAY) -> str:
        if any(a["id"] == aid for a in self.rows["accounts"]):
            return aid
        self.person(holder)
        self._once("banks", bank)
        self.rows["accounts"].append({"id": aid, "holder": holder, "bank": bank, "kind": kind,
                                      "opened_ts": opened_ts})
        return aid

    def login(self, account: str, device: str, ts: int, ip: str = "ip_1") -> None:
        self.device(device)
        u = self._logins.setdefault((account, device), {
            "account": account, "device": device, "first_ts": ts, "last_ts": ts, "ip": ip})
        u["first_ts"], u["last_ts"] = min(u["first_ts"], ts), max(u["last_ts"], ts)

    def sim(self, person: str, phone: str, ts: int, kind: str = "new_sim",
            operator: str = "KCELL") -> None:
        self.person(person)
        self.phone(phone)
        self.rows["sims"].append({"person": person, "phone": phone, "ts": ts, "kind": kind,
                                  "operator": operator, "event_id": f"ev{next(self._seq)}"})
        h = self._has_phone.setdefault((person, phone), {
            "person": person, "phone": phone, "since_ts": ts})
        h["since_ts"] = min(h["since_ts"], ts)

    def transfer(self, src: str, dst: str, amount: float, ts: int, *, channel: str = "app",
                 tx_id: str | None = None) -> str:
        tx = tx_id or f"tx{next(self._seq)}"
        self.rows["transfers"].append({"src": src, "dst": dst, "amount": float(amount),
                                       "ts": ts, "channel": channel, "interbank": False,
                                       "tx_id": tx})
        return tx

    def call(self, caller: str, callee: str, ts: int, duration_s: int = 60) -> None:
        self.phone(caller)
        self.phone(callee)
        self.rows["calls"].append({"caller": caller, "callee": callee, "ts": ts,
                                   "duration_s": duration_s, "call_id": f"c{next(self._seq)}"})

    def incident(self, iid: str, victim: str, beneficiaries: list[str], *, reported_ts: int,
                 occurred_ts: int | None = None, caller: str | None = None,
                 scheme: str = "phone_fraud", amount: float = 100_000) -> str:
        if caller:
            self.phone(caller)
        self.rows["incidents"].append({
            "id": iid, "victim": victim, "beneficiaries": beneficiaries, "caller": caller,
            "reported_ts": reported_ts, "occurred_ts": occurred_ts, "scheme": scheme,
            "amount": float(amount), "reporter": "KASPI"})
        return iid

    def list_entry(self, eid: str, kind: str, entity: str, *, lst: str = "black",
                   since_ts: int = T0 - 30 * DAY, until_ts: int | None = None) -> str:
        self.rows["entries"].append({
            "id": eid, "entity_kind": kind, "entity": entity, "list": lst, "since_ts": since_ts,
            "until_ts": until_ts, "reason": "test", "source": "AFC"})
        return eid

    def commit(self, driver: Driver, database: str) -> None:
        self.rows["logins"] = list(self._logins.values())
        self.rows["has_phone"] = list(self._has_phone.values())
        with driver.session(database=database) as session:
            tx = session.begin_transaction()
            for kind, query in _CREATE:
                if self.rows[kind]:
                    tx.run(query, rows=self.rows[kind]).consume()
            tx.commit()


# The generated world's scale in absolute terms (KZT, seconds): the tiny hand-built graphs
# of the pattern tests have no background to derive thresholds from, so those tests give
# them as overrides. tests/cypher/test_heuristics_typologies.py checks the derived ones.
ABSOLUTE: dict[str, dict[str, Any]] = {
    "transfer_cycle": {"min_amount": 50_000.0, "hop_s": 12 * HOUR, "cycle_s": 3 * DAY},
    "fast_pass_through": {"min_amount": 50_000.0, "dwell_s": HOUR},
    "layering_chain": {"hop_s": 4 * HOUR, "chain_s": 12 * HOUR},
    "collector_account": {"max_payment": 30_000.0, "consolidate_s": DAY},
    "investment_funnel": {"min_deposit": 20_000.0},
    "list_proximity": {"min_amount": 30_000.0},
    "new_device_payment": {"min_amount": 50_000.0},
    "sim_change_payment": {"min_amount": 50_000.0},
    "new_account_burst": {"min_volume": 100_000.0, "burst_s": 2 * DAY},
    "victim_fan_in": {"fan_in_s": 7 * DAY},
}


def hits(driver: Driver, database: str, name: str, *, as_of: int = AS_OF,
         window_s: int = WINDOW, absolute: bool = False, **overrides: Any) -> dict[str, Hit]:
    """Run one heuristic (defaults plus overrides) and key its hits by entity id.

    `absolute` gives the derived thresholds as the generated world's absolute values.
    """
    h = load_heuristics()[name]
    params = resolve_params({name: h}, {})[name]
    given = {**(ABSOLUTE.get(name, {}) if absolute else {}), **overrides}
    params.update(h.params.validate({**params, **given}, context=name))
    res = run_heuristic(driver, database, h, params, as_of=as_of, window_s=window_s)
    return {x.entity_id: x for x in res.hits}

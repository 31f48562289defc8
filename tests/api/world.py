"""The API tests' small world: feeds loaded through the real loader, plus what other
components write later (risk properties, signals, clusters), written here directly."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from tests.graph_loader.conftest import kz_iban, write_csv

IBAN = {name: kz_iban(code, n) for n, (name, code) in enumerate([
    ("victim", "601"), ("mule1", "722"), ("mule2", "722"), ("mule3", "125"),
    ("merchant", "125"), ("payer", "601"), ("payee", "722"), ("grey_holder_acc", "125"),
    ("cash", "125"), ("fresh", "601")])}
BANK = {"victim": "HALYK", "mule1": "KASPI", "mule2": "KASPI", "mule3": "FORTE",
        "merchant": "FORTE", "payer": "HALYK", "payee": "KASPI", "grey_holder_acc": "FORTE",
        "cash": "FORTE", "fresh": "HALYK"}
IIN = {"p0": "900101300101", "p1": "850505400202", "p2": "770707300303",
       "p3": "880808300404", "p4": "910909400505", "p5": "920202300606"}
HOLDER = {"victim": "p0", "mule1": "p1", "mule2": "p2", "mule3": "p2", "merchant": "p0",
          "payer": "p3", "payee": "p4", "grey_holder_acc": "p5", "cash": "p0", "fresh": "p3"}
PHONE = {"caller": "+7 705 000 00 02", "payer": "+7 701 333 33 03",
         "victim": "+7 701 000 00 01"}
T0 = "2026-03-04T10:00:00+05:00"  # the victim pays the first mule
CHECK_AT = "2026-03-10T10:00:00+05:00"  # the moment of the pre-payment checks


def ts(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def write_feeds(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    write_csv(d / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"], [
        [IBAN[a], BANK[a], IIN[HOLDER[a]], "2025-01-01T00:00:00+05:00",
         "merchant" if a == "merchant" else "personal"] for a in IBAN])
    write_csv(d / "devices.csv", ["device_id", "platform", "first_seen_at"], [
        ["dev-old", "android", "2025-06-01T00:00:00+05:00"],
        ["dev-new", "ios", "2026-03-10T09:30:00+05:00"],
        ["dev-bad", "android", "2026-02-01T00:00:00+05:00"]])
    write_csv(d / "phones.csv", ["event_id", "number", "operator", "holder_iin", "event", "at"], [
        ["s1", PHONE["payer"], "KCELL", IIN["p3"], "new_sim", "2025-01-01T00:00:00+05:00"],
        ["s2", PHONE["payer"], "KCELL", IIN["p3"], "swap", "2026-03-09T12:00:00+05:00"],
        ["s3", PHONE["caller"], "BEELINE", IIN["p1"], "new_sim", "2026-02-01T00:00:00+05:00"],
        ["s4", PHONE["victim"], "KCELL", IIN["p0"], "new_sim", "2024-01-01T00:00:00+05:00"]])
    write_csv(d / "logins.csv", ["session_id", "iban", "device_id", "ip", "at"], [
        ["l1", IBAN["payer"], "dev-old", "10.0.0.1", "2025-06-01T00:00:00+05:00"],
        ["l2", IBAN["payer"], "dev-new", "10.0.0.2", "2026-03-10T09:30:00+05:00"],
        ["l3", IBAN["mule2"], "dev-bad", "10.0.0.3", "2026-02-01T00:00:00+05:00"],
        ["l4", IBAN["mule3"], "dev-bad", "10.0.0.3", "2026-02-02T00:00:00+05:00"]])
    write_csv(d / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"], [
        ["t1", IBAN["victim"], IBAN["mule1"], "150000", T0, "app", "true"],
        ["t2", IBAN["mule1"], IBAN["mule2"], "100000", "2026-03-04T10:20:00+05:00", "app",
         "false"],
        ["t3", IBAN["mule1"], IBAN["mule3"], "30000", "2026-03-04T10:25:00+05:00", "app",
         "true"],
        ["t4", IBAN["mule2"], IBAN["mule3"], "60000", "2026-03-04T10:40:00+05:00", "app",
         "true"],
        ["t5", IBAN["mule3"], IBAN["cash"], "50000", "2026-03-04T11:00:00+05:00", "atm",
         "false"],
        ["t6", IBAN["mule2"], IBAN["merchant"], "5000", "2026-03-03T10:00:00+05:00", "pos",
         "true"],
        ["t7", IBAN["payer"], IBAN["payee"], "20000", "2026-03-01T10:00:00+05:00", "app",
         "true"],
        ["t8", IBAN["victim"], IBAN["payer"], "80000", "2026-03-10T09:00:00+05:00", "app",
         "true"]])
    write_csv(d / "calls.csv", ["call_id", "caller", "callee", "at", "duration_s"], [
        ["c1", PHONE["caller"], PHONE["victim"], "2026-03-04T09:50:00+05:00", "300"]])
    write_csv(d / "incidents.csv",
              ["incident_id", "reported_at", "reporter", "scheme", "victim_iban", "amount_kzt",
               "beneficiary_ibans", "caller_phone", "occurred_at"], [
        ["inc-1", "2026-03-05T10:00:00+05:00", "HALYK", "phone_fraud", IBAN["victim"],
         "150000", IBAN["mule1"], PHONE["caller"], T0]])
    write_csv(d / "list_entries.csv",
              ["entry_id", "entity_kind", "entity_id", "list", "reason", "source", "since",
               "until"], [
        ["le-black-acc", "account", IBAN["mule2"], "black", "mule, case 17", "POLICE",
         "2026-03-01T00:00:00+05:00", ""],
        ["le-grey-person", "person", IIN["p5"], "grey", "suspected dropper", "AFC",
         "2026-03-01T00:00:00+05:00", "2027-03-01T00:00:00+05:00"],
        ["le-black-dev", "device", "dev-bad", "black", "device of a mule ring", "AFC",
         "2026-03-01T00:00:00+05:00", ""],
        ["le-expired", "account", IBAN["merchant"], "black", "old case", "AFC",
         "2026-01-01T00:00:00+05:00", "2026-02-01T00:00:00+05:00"]])
    return d


_DERIVED = """
MATCH (a:Account {id: $mule1}) SET a.risk = 0.7, a.risk_band = 'high',
  a.prop_score = 0.5, a.gnn_score = 0.8, a.risk_updated_at = datetime('2026-03-06T00:00:00Z')
WITH 1 AS _
MATCH (a:Account {id: $mule2}) SET a.risk = 0.9, a.risk_band = 'critical'
WITH 1 AS _
MATCH (a:Account {id: $mule3}) SET a.risk = 0.4, a.risk_band = 'medium'
WITH 1 AS _
CREATE (r1:DetectRun {id: 'run-1', latest: false}), (r2:DetectRun {id: 'run-2', latest: true})
WITH 1 AS _
MATCH (a:Account {id: $mule3})
CREATE (:Signal {id: 'sig-old', heuristic: 'old_rule', severity: 'low', score: 0.2,
                 evidence: '{}', run_id: 'run-1'})-[:FLAGS]->(a),
       (:Signal {id: 'sig-new', heuristic: 'fast_pass_through', severity: 'high',
                 score: 0.8, evidence: '{"tx": ["t4", "t5"]}', run_id: 'run-2'})-[:FLAGS]->(a)
WITH 1 AS _
CREATE (c1:Cluster {id: 'cl-1', size: 3, banks: ['KASPI', 'FORTE'], victims: 1,
                    total_kzt: 150000.0, scheme: 'phone_fraud', first_seen_ts: $t0,
                    growth: 0.4, predicted_growth: 0.7, model: 'gnn-v0'}),
       (c2:Cluster {id: 'cl-2', size: 1, total_kzt: 5000.0, growth: 0.1})
WITH c1, c2
MATCH (m1:Account {id: $mule1}), (m2:Account {id: $mule2}), (m3:Account {id: $mule3}),
      (me:Account {id: $merchant})
CREATE (m1)-[:IN_CLUSTER]->(c1), (m2)-[:IN_CLUSTER]->(c1), (m3)-[:IN_CLUSTER]->(c1),
       (me)-[:IN_CLUSTER]->(c2)
"""


def write_derived(driver: Driver, database: str, pseudo: Pseudonymiser) -> None:
    """What the risk engine, the detect run and the GNN would have written."""
    acc = {k: pseudo("account", v) for k, v in IBAN.items()}
    driver.execute_query(_DERIVED, mule1=acc["mule1"], mule2=acc["mule2"],
                         mule3=acc["mule3"], merchant=acc["merchant"], t0=ts(T0),
                         database_=database)

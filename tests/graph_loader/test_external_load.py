"""An :External counterparty becomes a participant's account when an accounts feed sends
it later: one node, its transfers kept, no longer marked external."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.load import load_directory
from tests.graph_loader.conftest import IINS, kz_iban, write_csv

OURS, LATER = kz_iban("601", 11), kz_iban("722", 12)
T = "2026-03-01T10:00:00+05:00"


def test_an_external_iban_later_sent_as_an_account_joins_the_participants(
        graph: Driver, db: str, pseudo: Pseudonymiser, tmp_path: Path) -> None:
    day1, day2 = tmp_path / "d1", tmp_path / "d2"
    day1.mkdir()
    day2.mkdir()
    write_csv(day1 / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"],
              [[OURS, "HALYK", IINS[0], T, "personal"]])
    write_csv(day1 / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"],
              [["t1", OURS, LATER, "1000", T, "app", "true"]])
    write_csv(day2 / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"],
              [[LATER, "FORTE", IINS[1], T, "personal"]])
    write_csv(day2 / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"],
              [["t2", LATER, OURS, "500", T, "app", "true"]])
    q = ("MATCH (a:Account {id: $id}) RETURN a:External AS ext, a.external_kind AS kind, "
         "a.bank AS bank, COUNT { (a)-[:TRANSFERRED]-() } AS tx")
    later = pseudo("account", LATER)
    load_directory(graph, db, day1, pseudo, rejects_path=tmp_path / "r1.csv", progress=False)
    recs, _, _ = graph.execute_query(q, id=later, database_=db)
    assert [dict(r) for r in recs] == [{"ext": True, "kind": "iban", "bank": None, "tx": 1}]
    rep = load_directory(graph, db, day2, pseudo, rejects_path=tmp_path / "r2.csv",
                         progress=False)
    assert all(f.rejected == 0 for f in rep.files)
    recs, _, _ = graph.execute_query(q, id=later, database_=db)
    assert [dict(r) for r in recs] == [{"ext": False, "kind": None, "bank": "FORTE", "tx": 2}]
    assert rep.graph_nodes["External"] == 0

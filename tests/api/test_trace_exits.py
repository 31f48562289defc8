"""Money that leaves the participants: feeds naming a card, a foreign IBAN and an account
no participant holds load against :External counterparties, and the refund trace names
them as exits (not holders, not followed), with the money conserved."""

from __future__ import annotations

import asyncio
from pathlib import Path

from neo4j import AsyncGraphDatabase, Driver

from api.db import Graph
from api.trace_service import TraceLimits, incident_head, trace
from api.visibility import Scope
from fraudgraph.db import credentials
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from graph_loader.load import load_directory
from tests.graph_loader.conftest import IINS, kz_iban, write_csv

VICTIM, MULE, OTHER_BANK = kz_iban("601", 1), kz_iban("722", 2), kz_iban("125", 3)
CARD, GB = "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32"
NOBODY = kz_iban("999", 4)  # a well-formed KZ IBAN no accounts feed sends


def _feeds(d: Path) -> Path:
    d.mkdir()
    write_csv(d / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"], [
        [VICTIM, "HALYK", IINS[0], "2025-01-01T00:00:00+05:00", "personal"],
        [MULE, "KASPI", IINS[1], "2025-01-01T00:00:00+05:00", "personal"],
        [OTHER_BANK, "FORTE", IINS[2], "2025-01-01T00:00:00+05:00", "personal"]])
    write_csv(d / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"], [
        ["t1", VICTIM, MULE, "100000", "2026-03-04T10:00:00+05:00", "app", "true"],
        ["t2", MULE, CARD, "40000", "2026-03-04T10:10:00+05:00", "app", "true"],
        ["t3", MULE, GB, "30000", "2026-03-04T10:20:00+05:00", "web", "true"],
        ["t4", MULE, OTHER_BANK, "20000", "2026-03-04T10:30:00+05:00", "app", "true"],
        ["t5", OTHER_BANK, NOBODY, "5000", "2026-03-04T10:40:00+05:00", "app", "true"],
        # Afterwards the card pays onwards: outside the participants, not followed.
        ["t6", CARD, OTHER_BANK, "1000", "2026-03-04T11:00:00+05:00", "app", "true"]])
    write_csv(d / "incidents.csv",
              ["incident_id", "reported_at", "reporter", "scheme", "victim_iban", "amount_kzt",
               "beneficiary_ibans", "caller_phone", "occurred_at"], [
        ["inc-x", "2026-03-05T10:00:00+05:00", "HALYK", "phone_fraud", VICTIM, "100000",
         MULE, "+44 7911 123456", "2026-03-04T09:55:00+05:00"]])
    return d


def test_exits_load_and_appear_in_the_refund_trace(graph: Driver, db: str, settings: Settings,
                                                   pseudo: Pseudonymiser,
                                                   tmp_path: Path) -> None:
    rep = load_directory(graph, db, _feeds(tmp_path / "f"), pseudo,
                         rejects_path=tmp_path / "rejects.csv", progress=False)
    assert all(f.rejected == 0 for f in rep.files), [f.reasons for f in rep.files]
    assert rep.graph_nodes["External"] == 3
    recs, _, _ = graph.execute_query(
        "MATCH (a:External) RETURN a.id AS id, a.external_kind AS kind, a.bank AS bank",
        database_=db)
    acc = {raw: pseudo("account", raw.replace(" ", "")) for raw in (CARD, GB, NOBODY)}
    assert {(r["id"], r["kind"], r["bank"]) for r in recs} == {
        (acc[CARD], "card", None), (acc[GB], "foreign_iban", None), (acc[NOBODY], "iban", None)}
    recs, _, _ = graph.execute_query("MATCH (p:Phone) RETURN p.foreign AS f", database_=db)
    assert [r["f"] for r in recs] == [True]

    async def run() -> dict:
        uri, user, password = credentials(settings)
        driver = AsyncGraphDatabase.driver(uri, auth=(user, password))
        try:
            g = Graph(driver, db)
            head = await incident_head(g, "inc-x")
            assert head is not None
            t = await trace(g, "inc-x", head,
                            TraceLimits(window_s=86400, max_hops=4, max_edges=100))
            return {"afc": t.seen_by(Scope(None)), "halyk": t.seen_by(Scope("HALYK"))}
        finally:
            await driver.close()

    views = asyncio.run(run())
    body = views["afc"]
    exits = {(x["to"], x["to_kind"], x["kzt"]) for x in body["exits"]}
    assert exits == {(acc[CARD], "card", 40000.0), (acc[GB], "foreign_iban", 30000.0),
                     (acc[NOBODY], "iban", 5000.0)}
    totals = body["totals"]
    assert totals["left_kzt"] == 75000.0
    assert totals["start_kzt"] == totals["held_kzt"] + totals["cashed_out_kzt"] \
        + totals["left_kzt"] == 100000.0
    # Exits hold nothing a refund could freeze at a participant, and are not followed.
    assert {h["account"] for h in body["holders"]} == {pseudo("account", MULE),
                                                       pseudo("account", OTHER_BANK)}
    assert all(e["tx_id"] != "t6" for h in body["hops"] for e in h["edges"])
    # The reporting bank sees the kind and the amount of an exit, not which card it was,
    # nor the other bank's customer it left from.
    halyk = {(x["account"], x["to"], x["to_kind"], x["tx_id"], x["kzt"])
             for x in views["halyk"]["exits"]}
    assert halyk == {(pseudo("account", MULE), None, "card", None, 40000.0),
                     (pseudo("account", MULE), None, "foreign_iban", None, 30000.0),
                     (None, None, "iban", None, 5000.0)}

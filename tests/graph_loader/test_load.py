"""The loader against the real Neo4j: reconciliation, idempotency, resume, pseudonyms."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.load import LoadInterrupted, graph_counts, load_directory
from tests.graph_loader.conftest import IBANS, IINS, PHONES, kz_iban, write_csv


def _load(graph: Driver, db: str, d: Path, pseudo: Pseudonymiser, tmp: Path, **kw: object):
    return load_directory(graph, db, d, pseudo, rejects_path=tmp / "rejects.csv",
                          progress=False, **kw)  # type: ignore[arg-type]


def test_tiny_world_loads_completely(graph: Driver, db: str, tiny_feeds: Path,
                                     pseudo: Pseudonymiser, tmp_path: Path) -> None:
    rep = _load(graph, db, tiny_feeds, pseudo, tmp_path)
    assert rep.rejected == 0
    assert all(f.reconciles for f in rep.files)
    assert rep.graph_nodes["Account"] == 5
    assert rep.graph_nodes["Person"] == 3
    assert rep.graph_relationships["TRANSFERRED"] == 4
    assert rep.graph_relationships["BENEFICIARY"] == 1
    assert rep.graph_relationships["LISTS"] == 2
    # The shared device links two holders' accounts.
    recs, _, _ = graph.execute_query(
        "MATCH (a:Account)-[:USED]->(d:Device {id: $d})<-[:USED]-(b:Account) "
        "WHERE a.id < b.id RETURN a.id AS a, b.id AS b",
        d=pseudo("device", "dev-a"), database_=db)
    assert {recs[0]["a"], recs[0]["b"]} == {pseudo("account", IBANS[1]), pseudo("account", IBANS[2])}
    recs, _, _ = graph.execute_query(
        "MATCH (ph:Phone {id: $p}) RETURN ph.last_sim_event_ts AS ts", p=pseudo("phone", PHONES[1]),
        database_=db)
    assert recs[0]["ts"] is not None


def test_reload_is_idempotent(graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser,
                              tmp_path: Path) -> None:
    first = _load(graph, db, tiny_feeds, pseudo, tmp_path)
    second = _load(graph, db, tiny_feeds, pseudo, tmp_path)
    assert first.graph_nodes == second.graph_nodes
    assert first.graph_relationships == second.graph_relationships


def test_incremental_day_adds_to_graph(graph: Driver, db: str, tiny_feeds: Path,
                                       pseudo: Pseudonymiser, tmp_path: Path) -> None:
    _load(graph, db, tiny_feeds, pseudo, tmp_path)
    day2 = tmp_path / "day2"
    day2.mkdir()
    write_csv(day2 / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"],
              [["t9", IBANS[4], IBANS[0], "700", "2026-03-06T10:00:00+05:00", "app", "false"]])
    rep = _load(graph, db, day2, pseudo, tmp_path)
    assert rep.rejected == 0
    assert rep.graph_relationships["TRANSFERRED"] == 5


def test_resent_file_with_known_events_merges_them(graph: Driver, db: str, tiny_feeds: Path,
                                                   pseudo: Pseudonymiser, tmp_path: Path) -> None:
    """A participant re-sends yesterday's events with new ones (another file, so not
    skipped as already loaded): the CREATE fast path hits the uniqueness constraints
    and the batch is MERGEd, so known events stay single and keep their values."""
    _load(graph, db, tiny_feeds, pseudo, tmp_path)
    again = tmp_path / "again"
    again.mkdir()
    write_csv(again / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"],
              [["t1", IBANS[0], IBANS[1], "999", "2026-03-04T10:00:00+05:00", "app", "true"],
               ["t8", IBANS[4], IBANS[2], "700", "2026-03-06T10:00:00+05:00", "web", "true"]])
    write_csv(again / "calls.csv", ["call_id", "caller", "callee", "at", "duration_s"],
              [["c1", PHONES[1], PHONES[0], "2026-03-04T09:55:00+05:00", "120"],
               ["c2", PHONES[0], PHONES[1], "2026-03-06T09:00:00+05:00", "30"]])
    write_csv(again / "logins.csv", ["session_id", "iban", "device_id", "ip", "at"],
              [["l9", IBANS[1], "dev-a", "10.9.9.9", "2026-03-07T10:00:00+05:00"]])
    rep = _load(graph, db, again, pseudo, tmp_path)
    assert rep.rejected == 0
    assert rep.graph_relationships["TRANSFERRED"] == 5
    assert rep.graph_relationships["CALLED"] == 2
    assert rep.graph_relationships["USED"] == 2
    recs, _, _ = graph.execute_query(
        "MATCH ()-[t:TRANSFERRED]->() RETURN t.tx_id AS id, t.amount AS amount, "
        "t.channel AS channel, t.at.epochSeconds = t.ts AS at_ok ORDER BY id", database_=db)
    got = {r["id"]: (r["amount"], r["channel"], r["at_ok"]) for r in recs}
    assert got["t1"] == (150000.0, "app", True)  # the first value is kept
    assert got["t8"] == (700.0, "web", True)
    recs, _, _ = graph.execute_query(
        "MATCH (:Account {id: $a})-[u:USED]->(:Device {id: $d}) "
        "RETURN u.first_ts AS first, u.last_ts AS last, u.last_ip AS ip",
        a=pseudo("account", IBANS[1]), d=pseudo("device", "dev-a"), database_=db)
    assert recs[0]["first"] < recs[0]["last"]
    assert recs[0]["ip"] == pseudo("ip", "10.9.9.9")


BAD_TRANSFERS = [
    # (row, expected field, reason fragment)
    (["b1", IBANS[0], IBANS[1], "-5", "2026-03-04T10:00:00+05:00", "app", "true"], "amount_kzt", "positive"),
    (["b2", IBANS[0], IBANS[1], "abc", "2026-03-04T10:00:00+05:00", "app", "true"], "amount_kzt", "not a number"),
    (["b3", IBANS[0], IBANS[1], "1e15", "2026-03-04T10:00:00+05:00", "app", "true"], "amount_kzt", "exceeds"),
    (["b4", IBANS[0], IBANS[1], "10", "2026-03-04T10:00:00", "app", "true"], "at", "no time zone"),
    (["b5", IBANS[0], IBANS[1], "10", "2099-01-01T00:00:00+05:00", "app", "true"], "at", "future"),
    (["b6", IBANS[0], IBANS[1], "10", "yesterday", "app", "true"], "at", "ISO-8601"),
    (["b7", "KZ00BAD", IBANS[1], "10", "2026-03-04T10:00:00+05:00", "app", "true"], "from_iban", "IBAN"),
    (["b8", IBANS[0], "4111 1111 1111 1112", "10", "2026-03-04T10:00:00+05:00", "app", "true"], "to_iban", "Luhn"),
    (["b9", IBANS[0], IBANS[0], "10", "2026-03-04T10:00:00+05:00", "app", "true"], "to_iban", "same account"),
    (["b10", IBANS[0], IBANS[1], "10", "2026-03-04T10:00:00+05:00", "teleport", "true"], "channel", "one of"),
    (["b11", IBANS[0], IBANS[1], "10", "2026-03-04T10:00:00+05:00", "app", "maybe"], "interbank", "true or false"),
    (["x' OR 1=1 //", IBANS[0], IBANS[1], "10", "2026-03-04T10:00:00+05:00", "app", "true"], "tx_id", "letters"),
    (["t1", IBANS[0], IBANS[1], "10", "2026-03-04T10:00:00+05:00", "app", "true"], "tx_id", "duplicate"),
    (["b12", IBANS[0], IBANS[1], "10" + "0" * 200000, "2026-03-04T10:00:00+05:00", "app", "true"], "amount_kzt", "too long"),
    (["b13", IBANS[0], IBANS[1], "10", "2026-03-04T10:00:00+05:00", "app\x07", "true"], "channel", "one of"),
]


def test_broken_rows_rejected_with_reasons_good_rows_loaded(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser, tmp_path: Path) -> None:
    path = tiny_feeds / "transfers.csv"
    with open(path, "a", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for row, _f, _r in BAD_TRANSFERS:
            w.writerow(row)
        fh.write('"unterminated,quote\n')
    with open(path, "ab") as fh:
        fh.write(b"b14,\xff\xfe" + IBANS[0].encode() + b"," + IBANS[1].encode()
                 + b",10,2026-03-04T10:00:00+05:00,app,true\n")
    rep = _load(graph, db, tiny_feeds, pseudo, tmp_path)
    tr = next(f for f in rep.files if f.feed == "transfers")
    assert tr.loaded == 4
    assert tr.read == tr.loaded + tr.rejected
    assert rep.as_dict()["reconciles"] is True
    with open(tmp_path / "rejects.csv", encoding="utf-8") as fh:
        rejects = [r for r in csv.DictReader(fh) if r["file"] == "transfers.csv"]
    assert len(rejects) == tr.rejected
    by_row = {int(r["row"]): r for r in rejects}
    for i, (_row, field, fragment) in enumerate(BAD_TRANSFERS, start=5):
        assert by_row[i]["field"] == field, (i, by_row[i])
        assert fragment in by_row[i]["reason"], (i, by_row[i])
    text = (tmp_path / "rejects.csv").read_text()
    for raw in IBANS:
        assert raw not in text
    # Injection strings are rejected as data, never executed.
    assert graph.execute_query("MATCH (n) RETURN count(n) AS c", database_=db)[0][0]["c"] > 0


def test_interrupted_load_resumes_without_duplicates(
        graph: Driver, db: str, tmp_path: Path, pseudo: Pseudonymiser) -> None:
    d = tmp_path / "big"
    d.mkdir()
    ibans = [kz_iban("125", i) for i in range(50)]
    write_csv(d / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"],
              [[b, "HALYK", IINS[i % 3], "2026-01-01T00:00:00+05:00", "personal"]
               for i, b in enumerate(ibans)])
    write_csv(d / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"],
              [[f"t{i}", ibans[i % 50], ibans[(i * 7 + 1) % 50], str(100 + i),
                "2026-02-01T00:00:00+05:00", "app", "false"] for i in range(2000)
               if i % 50 != (i * 7 + 1) % 50])
    with pytest.raises(LoadInterrupted):
        _load(graph, db, d, pseudo, tmp_path, batch_size=100, stop_after_batches=7)
    partial = graph_counts(graph, db)[1]["TRANSFERRED"]
    assert 0 < partial < 2000
    rep = _load(graph, db, d, pseudo, tmp_path, batch_size=100)
    tr = next(f for f in rep.files if f.feed == "transfers")
    assert tr.resumed_from_row > 0
    expected = tr.loaded
    assert graph_counts(graph, db)[1]["TRANSFERRED"] == expected
    fresh = tmp_path / "fresh"
    shutil.copytree(d, fresh)


def test_no_raw_identifier_reaches_the_graph(graph: Driver, db: str, tiny_feeds: Path,
                                             pseudo: Pseudonymiser, tmp_path: Path) -> None:
    rep = _load(graph, db, tiny_feeds, pseudo, tmp_path)
    recs, _, _ = graph.execute_query(
        "MATCH (n) RETURN properties(n) AS p UNION ALL MATCH ()-[r]->() RETURN properties(r) AS p",
        database_=db)
    dump = json.dumps([r["p"] for r in recs], default=str)
    dump += json.dumps(rep.as_dict())
    for raw in [*IBANS, *IINS, "7010000001", "7050000002", "dev-a", "10.1.2.3"]:
        assert raw not in dump, raw

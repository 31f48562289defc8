"""The bulk path (neo4j-admin import) against the online path, on the shared test server:
the same feeds give the same graph, the same rejects and the same report, and a reload
after the bulk load changes nothing. Each import stops and starts the server, so the
module holds only one."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from neo4j import Driver

from api.audit import schema as audit_schema
from cypher.graph_schema import reset_data
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from graph_loader.bulk import DatabaseNotEmpty, bulk_load
from graph_loader.checksum import graph_checksum
from graph_loader.import_files import iso
from graph_loader.load import load_directory
from tests.graph_loader.conftest import IBANS, IINS, PHONES, T

CARD = "4111111111111111"  # Luhn-valid
FOREIGN_IBAN = "DE89370400440532013000"  # mod-97-valid
WALLET = "wallet:QIWI:user_77"


def _append(path: Path, rows: list[list[object]]) -> None:
    with open(path, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


@pytest.fixture
def feeds(tiny_feeds: Path) -> Path:
    """The tiny feeds, plus what the bulk fold must get right: externals, rejected and
    duplicate rows, repeated logins (with a tie in time), several SIM events of one
    number, a foreign caller that only the calls feed names."""
    d = tiny_feeds
    _append(d / "accounts.csv", [[IBANS[0], "HALYK", IINS[0], T, "personal"],  # duplicate
                                 ["KZ00BAD", "HALYK", IINS[0], T, "personal"]])
    _append(d / "phones.csv", [
        ["s3", PHONES[0], "TELE2", IINS[0], "port", "2026-03-06T10:00:00+05:00"],
        ["s4", PHONES[0], "ALTEL", IINS[1], "swap", "2026-03-06T10:00:00+05:00"],  # tie
        ["s5", PHONES[0], "KCELL", IINS[0], "swap", "2026-02-01T10:00:00+05:00"]])
    _append(d / "logins.csv", [
        ["l3", IBANS[1], "dev-a", "10.9.9.9", "2026-02-20T10:00:00+05:00"],  # earlier
        ["l4", IBANS[1], "dev-a", "10.7.7.7", T],  # the same time as l1: the later row
        ["l5", IBANS[1], "dev-new", "10.1.1.1", T],  # a device no devices row sent
        ["l6", IBANS[5], "dev-a", "10.1.1.1", T]])  # account not loaded: rejected
    _append(d / "transfers.csv", [
        ["t5", IBANS[4], CARD, "7000", "2026-03-06T10:00:00+05:00", "app", "true"],
        ["t6", FOREIGN_IBAN, IBANS[0], "1e3", "2026-03-06T11:00:00+05:00", "web", "true"],
        ["t7", IBANS[0], WALLET, "10.5", "2026-03-06T12:00:00+05:00", "app", "false"],
        ["t8", IBANS[0], IBANS[5], "99", "2026-03-06T13:00:00+05:00", "app", "true"],
        ["t1", IBANS[0], IBANS[2], "1", T, "app", "true"],  # duplicate id
        ["t9", IBANS[0], IBANS[1], "-5", T, "app", "true"]])  # bad amount
    _append(d / "calls.csv", [["c2", "+86 10 1234 5678", PHONES[1], T, "30"]])
    return d


def _schema_names(graph: Driver, db: str) -> set[str]:
    cons, _, _ = graph.execute_query("SHOW CONSTRAINTS YIELD name RETURN name", database_=db)
    idx, _, _ = graph.execute_query("SHOW INDEXES YIELD name RETURN name", database_=db)
    return {r["name"] for r in [*cons, *idx]}


def _rejects(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _by_file(report: object) -> list[tuple[str, int, int, int, dict[str, int]]]:
    return [(f.feed, f.read, f.loaded, f.rejected, f.reasons)
            for f in report.files]  # type: ignore[attr-defined]


def test_bulk_and_online_loads_give_the_same_graph(
        graph: Driver, db: str, settings: Settings, pseudo: Pseudonymiser, feeds: Path,
        tmp_path: Path) -> None:
    online = load_directory(graph, db, feeds, pseudo, rejects_path=tmp_path / "r1.csv",
                            progress=False)
    expected = graph_checksum(graph, db)
    assert online.rejected == 5 and all(f.reconciles for f in online.files)

    reset_data(graph, db)
    audit_schema(graph, db)  # schema another module owns, not in schema.cypher
    schema_before = _schema_names(graph, db)
    res = bulk_load(graph, settings, feeds, pseudo, rejects_path=tmp_path / "r2.csv",
                    import_dir=tmp_path / "import", progress=False)
    assert res.imported
    # Every constraint and index came back with the import, the audit chain's included.
    assert _schema_names(graph, db) == schema_before
    assert {"audit_head_id", "audit_event_seq", "account_id"} <= schema_before
    assert graph_checksum(graph, db) == expected
    assert res.report.graph_nodes == online.graph_nodes
    assert res.report.graph_relationships == online.graph_relationships
    assert res.report.graph_nodes["External"] == 4  # card, foreign IBAN, wallet, IBANS[5]
    assert _by_file(res.report) == _by_file(online)
    assert _rejects(tmp_path / "r2.csv") == _rejects(tmp_path / "r1.csv")
    # The imported files are recorded as committed: reloading them online adds nothing.
    again = load_directory(graph, db, feeds, pseudo, rejects_path=tmp_path / "r3.csv",
                           progress=False)
    assert graph_checksum(graph, db) == expected
    assert {f.feed: f.resumed_from_row for f in again.files}["transfers"] == 10


def test_bulk_refuses_a_database_that_holds_data(
        graph: Driver, db: str, settings: Settings, pseudo: Pseudonymiser, feeds: Path,
        tmp_path: Path) -> None:
    graph.execute_query("CREATE (:Account {id: 'acc_x'})", database_=db)
    with pytest.raises(DatabaseNotEmpty, match=r"holds 1 nodes.*without --bulk"):
        bulk_load(graph, settings, feeds, pseudo, rejects_path=tmp_path / "r.csv",
                  import_dir=tmp_path / "import", progress=False)
    assert not (tmp_path / "import").exists()


def test_bulk_against_an_existing_server_writes_the_files_and_the_command(
        graph: Driver, db: str, settings: Settings, pseudo: Pseudonymiser, feeds: Path,
        tmp_path: Path) -> None:
    external = settings.model_copy(update={"neo4j_uri": settings.local_uri})
    res = bulk_load(graph, external, feeds, pseudo, rejects_path=tmp_path / "r.csv",
                    import_dir=tmp_path / "import", progress=False)
    assert not res.imported
    assert res.command[:5] == ["neo4j-admin", "database", "import", "full", db]
    assert "--relationships=TRANSFERRED=transferred.csv" in res.command
    with open(tmp_path / "import" / "transferred.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8  # t1-t8; t1's duplicate and t9 rejected
    t1 = datetime.fromisoformat("2026-03-04T10:00:00+05:00")
    assert iso(int(t1.timestamp())) == "2026-03-04T05:00:00Z"
    assert iso(int(t1.timestamp())) in {r["at:datetime"] for r in rows}
    # Pseudonymised like every loaded value: no raw IBAN or card number in the files.
    text = "".join(p.read_text() for p in (tmp_path / "import").glob("*.csv"))
    assert not any(raw in text for raw in (*IBANS, *IINS, CARD, FOREIGN_IBAN, "QIWI"))
    recs, _, _ = graph.execute_query("MATCH (n) WHERE NOT n:Meta RETURN count(n) AS c",
                                     database_=db)
    assert recs[0]["c"] == 0  # nothing was imported here


def test_a_parquet_feed_directory_loads_as_its_csv_twin(
        graph: Driver, db: str, pseudo: Pseudonymiser, feeds: Path, tmp_path: Path) -> None:
    load_directory(graph, db, feeds, pseudo, rejects_path=tmp_path / "r1.csv", progress=False)
    expected = graph_checksum(graph, db)
    twin = tmp_path / "parquet"
    twin.mkdir()
    for path in feeds.glob("*.csv"):
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
        pq.write_table(table, twin / f"{path.stem}.parquet")
    reset_data(graph, db)
    rep = load_directory(graph, db, twin, pseudo, rejects_path=tmp_path / "r2.csv",
                         progress=False)
    assert rep.rejected == 5 and all(f.file.endswith(".parquet") for f in rep.files)
    assert graph_checksum(graph, db) == expected

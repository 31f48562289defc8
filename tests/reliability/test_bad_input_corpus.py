"""Every feed with good rows plus a corpus of bad ones (malformed CSV, wrong types, 200 KB
fields, control characters, latin-1 bytes, absurd amounts, future or zone-less times,
duplicates, dangling references, Cypher and CSV injection): each bad row is rejected
naming its field, each good row is loaded, counts reconcile, and the graph keeps its
constraints and nothing raw leaks into the rejects file or the report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.load import load_directory
from graph_loader.report import LoadReport, csv_safe
from tests.reliability import corpus as C


def constraint_names(driver: Driver, db: str) -> set[str]:
    recs, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name", database_=db)
    return {r["name"] for r in recs}


def ids(driver: Driver, db: str, query: str) -> set[str]:
    recs, _, _ = driver.execute_query(query, database_=db)
    return {r["id"] for r in recs}


@pytest.fixture
def loaded(graph: Driver, db: str, pseudo: Pseudonymiser,
           tmp_path: Path) -> tuple[LoadReport, list[list[str]], set[str]]:
    before = constraint_names(graph, db)
    d = tmp_path / "feeds"
    d.mkdir()
    for f in C.all_feeds():
        f.write(d)
    rep = load_directory(graph, db, d, pseudo, rejects_path=tmp_path / "rejects.csv",
                         progress=False)
    with open(tmp_path / "rejects.csv", newline="", encoding="utf-8") as fh:
        rejects = list(csv.reader(fh))
    return rep, rejects, before


def test_every_bad_row_is_rejected_naming_its_field(loaded: tuple) -> None:
    _, rejects, _ = loaded
    assert rejects[0] == ["file", "row", "field", "reason", "row_data"]
    got = {(r[0], int(r[1])): (r[2], r[3]) for r in rejects[1:]}
    assert len(got) == len(rejects) - 1  # one line per rejected row
    expected_rows = set()
    for f in C.all_feeds():
        for i, b in enumerate(f.bad):
            key = (f"{f.name}.csv", len(f.good) + i + 1)
            expected_rows.add(key)
            assert key in got, (key, b.row and [v[:60] for v in b.row])
            field, reason = got[key]
            assert field in b.fields, (key, field, reason)
            assert b.reason in reason, (key, field, reason)
    # No good row was rejected.
    assert set(got) == expected_rows


def test_counts_reconcile_per_file(loaded: tuple) -> None:
    rep, _, _ = loaded
    by_feed = {fr.feed: fr for fr in rep.files}
    assert set(by_feed) == {f.name for f in C.all_feeds()}
    for f in C.all_feeds():
        fr = by_feed[f.name]
        assert fr.read == len(f.good) + len(f.bad), f.name
        assert (fr.loaded, fr.rejected) == (len(f.good), len(f.bad)), f.name
        assert fr.reconciles
        assert sum(fr.reasons.values()) == fr.rejected
    assert rep.as_dict()["reconciles"] is True


def test_good_data_and_constraints_survive(loaded: tuple, graph: Driver, db: str,
                                           pseudo: Pseudonymiser) -> None:
    _, _, before = loaded
    after = constraint_names(graph, db)
    assert after == before and {"account_id", "device_id", "incident_id"} <= after
    acc = {pseudo("account", i.upper()) for i in C.GOOD_IBANS}
    assert ids(graph, db, "MATCH (a:Account) WHERE a.bank IS NOT NULL RETURN a.id AS id") == acc
    # Counterparties no participant holds are :External, not loaded accounts; so is the
    # account a transfer and a list entry name but no accounts feed sent.
    outside = {pseudo("account", C.UNKNOWN_IBAN), pseudo("account", "4111111111111111"),
               pseudo("account", "GB82WEST12345698765432"),
               pseudo("account", "wallet:KASPI:77010000001")}
    assert ids(graph, db, "MATCH (a:Account) WHERE a.bank IS NULL RETURN a.id AS id") == outside
    assert ids(graph, db, "MATCH (a:External) RETURN a.id AS id") == outside
    assert ids(graph, db, "MATCH ()-[t:TRANSFERRED]->() RETURN t.tx_id AS id") == {
        "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"}
    assert ids(graph, db, "MATCH ()-[s:SIM_EVENT]->() RETURN s.event_id AS id") == {"s1", "s2"}
    assert ids(graph, db, "MATCH ()-[c:CALLED]->() RETURN c.call_id AS id") == {"c1", "c2"}
    assert ids(graph, db, "MATCH (i:Incident) RETURN i.id AS id") == {
        "inc-1", "inc-2", "inc-3"}
    assert ids(graph, db, "MATCH (e:ListEntry) RETURN e.id AS id") == {
        f"le-{i}" for i in range(1, 8)}
    assert ids(graph, db, "MATCH (d:Device) RETURN d.id AS id") == {
        pseudo("device", d) for d in ["dev-a", "dev-b", *C.ODD_DEVICES, C.FINGERPRINT]}
    recs, _, _ = graph.execute_query(
        "MATCH ()-[u:USED]->() RETURN count(u) AS n", database_=db)
    assert recs[0]["n"] == 3
    recs, _, _ = graph.execute_query(
        "MATCH (:Incident {id: 'inc-2'})-[:BENEFICIARY]->(b) RETURN count(b) AS n",
        database_=db)
    assert recs[0]["n"] == 2


def test_free_text_is_stored_as_data_with_identifiers_scrubbed(loaded: tuple, graph: Driver,
                                                               db: str) -> None:
    recs, _, _ = graph.execute_query(
        "MATCH (e:ListEntry) RETURN e.id AS id, e.reason AS reason", database_=db)
    reasons = {r["id"]: r["reason"] for r in recs}
    # Injection strings are inert data: stored verbatim, nothing executed.
    assert reasons["le-1"] == C.CYPHER_INJECTION[0]
    assert reasons["le-2"] == C.CYPHER_INJECTION[1]
    assert reasons["le-3"] == C.CSV_INJECTION[0]
    assert reasons["le-5"].startswith("called from ")
    for raw in C.raw_identifiers():
        assert raw not in reasons["le-5"]
    for raw in C.raw_identifiers() | C.raw_devices_and_ips():
        assert raw not in reasons["le-6"], (raw, reasons["le-6"])
    assert reasons["le-6"].startswith("ИИНper_")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_no_raw_identifier_in_any_string_property(loaded: tuple, graph: Driver,
                                                  db: str) -> None:
    recs, _, _ = graph.execute_query(
        "CALL () { MATCH (n) RETURN properties(n) AS p UNION ALL "
        "MATCH ()-[r]->() RETURN properties(r) AS p } RETURN p", database_=db)
    text = "\n".join(s for r in recs for v in r["p"].values() for s in _strings(v))
    digits = "".join(c for c in text if c.isdigit())
    for raw in C.raw_identifiers() | C.raw_devices_and_ips():
        assert raw not in text, raw
    for iin in C.IINS:  # also with any separator between its digits
        assert iin not in digits.replace("0" * 32, ""), iin


def test_a_reload_reports_exactly_what_the_first_load_did(loaded: tuple, graph: Driver,
                                                          db: str, pseudo: Pseudonymiser,
                                                          tmp_path: Path) -> None:
    first, rejects, _ = loaded
    again = load_directory(graph, db, tmp_path / "feeds", pseudo,
                           rejects_path=tmp_path / "rejects-2.csv", progress=False)
    assert [(f.feed, f.read, f.loaded, f.rejected, f.reasons) for f in again.files] == [
        (f.feed, f.read, f.loaded, f.rejected, f.reasons) for f in first.files]
    with open(tmp_path / "rejects-2.csv", newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == rejects
    assert (again.graph_nodes, again.graph_relationships) == (
        first.graph_nodes, first.graph_relationships)


def test_rejects_and_report_carry_nothing_raw_or_formula_like(loaded: tuple) -> None:
    rep, rejects, _ = loaded
    text = "\n".join(",".join(r) for r in rejects)
    report_text = json.dumps(rep.as_dict(), ensure_ascii=False)
    for raw in C.raw_identifiers():
        assert raw not in text, raw
        assert raw not in report_text, raw
    for r in rejects[1:]:
        for cell in r:
            assert not cell.startswith(C.FORMULA_START), cell[:80]
    # Every reject's row_data is JSON (or empty for an unreadable record), bounded in size.
    for r in rejects[1:]:
        if r[4]:
            data = json.loads(r[4])
            assert all(len(v) <= 200 for v in data.values())
        assert len(r[3]) < 300  # the reason never echoes a huge value


@pytest.mark.parametrize("value", [*C.CSV_INJECTION, "\t=1+1", "\r=1+1"])
def test_csv_safe_defuses_formulas(value: str) -> None:
    safe = csv_safe(value)
    assert not safe.startswith((*C.FORMULA_START, "\t", "\r"))
    assert safe.endswith(value)

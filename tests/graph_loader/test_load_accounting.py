"""The loader's promises on a real Neo4j (issue 15): a reload reports exactly what the
first load reported, a rejected row leaves nothing behind, edge values neither crash the
load nor are silently changed, and the progress bar counts every row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from graph_loader import load as load_module
from graph_loader.load import load_directory
from graph_loader.report import LoadReport
from tests.graph_loader.conftest import IBANS, IINS, T, write_csv

LIST_HEADER = ["entry_id", "entity_kind", "entity_id", "list", "reason", "source", "since",
               "until"]
TRANSFER_HEADER = ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"]


def _load(graph: Driver, db: str, d: Path, pseudo: Pseudonymiser, rejects: Path,
          **kw: object) -> LoadReport:
    return load_directory(graph, db, d, pseudo, rejects_path=rejects, progress=False,
                          **kw)  # type: ignore[arg-type]


def _rejects(path: Path) -> list[tuple[str, str, str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [(r[0], r[1], r[2], r[3]) for r in list(csv.reader(fh))[1:]]


def _per_file(rep: LoadReport) -> list[tuple[str, int, int, int, dict[str, int]]]:
    return [(f.feed, f.read, f.loaded, f.rejected, f.reasons) for f in rep.files]


def test_a_reload_reports_exactly_what_the_first_load_did(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser,
        tmp_path: Path) -> None:
    # IBANS[5] is never sent as an account, but a list entry names it, which MERGEs a bare
    # Account. The first load takes the transfer and the incident that pay it against an
    # :External counterparty (they come before the list entries); the reload must not take
    # that node for a participant's account, and reports row for row the same.
    with open(tiny_feeds / "list_entries.csv", "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["le-3", "account", IBANS[5], "black", "police notice",
                                 "POLICE", T, ""])
    with open(tiny_feeds / "transfers.csv", "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["t5", IBANS[0], IBANS[5], "1000", T, "app", "false"])
    with open(tiny_feeds / "incidents.csv", "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["inc-2", T, "HALYK", "other", IBANS[0], "1000", IBANS[5],
                                 "", ""])
    first = _load(graph, db, tiny_feeds, pseudo, tmp_path / "r1.csv")
    counts = (first.graph_nodes, first.graph_relationships)
    assert _rejects(tmp_path / "r1.csv") == []
    outside = "MATCH (a:External) RETURN collect(a.id) AS ids, collect(a.external_kind) AS k"
    recs, _, _ = graph.execute_query(outside, database_=db)
    assert (recs[0]["ids"], recs[0]["k"]) == ([pseudo("account", IBANS[5])], ["iban"])
    second = _load(graph, db, tiny_feeds, pseudo, tmp_path / "r2.csv")
    assert _per_file(second) == _per_file(first)
    assert _rejects(tmp_path / "r2.csv") == []
    assert (second.graph_nodes, second.graph_relationships) == counts
    assert graph.execute_query(outside, database_=db)[0] == recs


def test_a_rejected_duplicate_account_leaves_no_bank(graph: Driver, db: str,
                                                     pseudo: Pseudonymiser,
                                                     tmp_path: Path) -> None:
    d = tmp_path / "feeds"
    d.mkdir()
    write_csv(d / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"], [
        [IBANS[0], "HALYK", IINS[0], T, "personal"],
        [IBANS[0], "GHOSTBANK", IINS[1], T, "personal"]])
    rep = _load(graph, db, d, pseudo, tmp_path / "r.csv")
    assert (rep.files[0].loaded, rep.files[0].rejected) == (1, 1)
    recs, _, _ = graph.execute_query("MATCH (b:Bank) RETURN collect(b.id) AS ids",
                                     database_=db)
    assert recs[0]["ids"] == ["HALYK"]


def _one_list_entry(d: Path, **over: str) -> None:
    row = dict(zip(LIST_HEADER, ["le-1", "account", IBANS[0], "black", "mule", "AFC", T, ""],
                   strict=True))
    row.update(over)
    write_csv(d / "list_entries.csv", LIST_HEADER, [list(row.values())])


def test_the_latest_possible_expiry_loads(graph: Driver, db: str, pseudo: Pseudonymiser,
                                          tmp_path: Path) -> None:
    d = tmp_path / "feeds"
    d.mkdir()
    _one_list_entry(d, until="9999-12-31T23:59:59-12:00")  # year 10000 in UTC
    rep = _load(graph, db, d, pseudo, tmp_path / "r.csv")
    assert (rep.loaded, rep.rejected) == (1, 0)
    recs, _, _ = graph.execute_query("MATCH (e:ListEntry) RETURN e.until_ts AS u",
                                     database_=db)
    assert recs[0]["u"] == 253402343999


def test_an_oversized_field_is_rejected_naming_that_field(graph: Driver, db: str,
                                                          pseudo: Pseudonymiser,
                                                          tmp_path: Path) -> None:
    d = tmp_path / "feeds"
    d.mkdir()
    _one_list_entry(d, reason="r" * (1 << 20))  # 1 MiB: past the csv module's old limit
    rep = _load(graph, db, d, pseudo, tmp_path / "r.csv")
    assert rep.rejected == 1
    assert _rejects(tmp_path / "r.csv")[0][2:] == ("reason", "longer than 500 characters")


def test_a_sub_tiyn_amount_is_rejected_not_stored_as_zero(
        graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser,
        tmp_path: Path) -> None:
    write_csv(tiny_feeds / "transfers.csv", TRANSFER_HEADER, [
        ["t1", IBANS[0], IBANS[1], "0.001", T, "app", "true"],
        ["t2", IBANS[1], IBANS[2], "0.01", T, "app", "true"]])
    _load(graph, db, tiny_feeds, pseudo, tmp_path / "r.csv")
    assert _rejects(tmp_path / "r.csv")[0][:3] == ("transfers.csv", "1", "amount_kzt")
    recs, _, _ = graph.execute_query("MATCH ()-[t:TRANSFERRED]->() RETURN t.amount AS a",
                                     database_=db)
    assert [r["a"] for r in recs] == [0.01]


class _Bar:
    last: _Bar | None = None

    def __init__(self, *args: object, **kw: object) -> None:
        self.n = 0
        _Bar.last = self

    def update(self, k: int) -> None:
        self.n += k

    def close(self) -> None:
        pass


def test_the_progress_bar_ends_at_the_last_row(graph: Driver, db: str, pseudo: Pseudonymiser,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "feeds"
    d.mkdir()
    n = 10_007  # one full step of the bar's 10,000 and a remainder
    write_csv(d / "devices.csv", ["device_id", "platform", "first_seen_at"],
              [[f"dev-{i}", "web", T] for i in range(n)])
    monkeypatch.setattr(load_module, "tqdm", _Bar)
    load_directory(graph, db, d, pseudo, rejects_path=tmp_path / "r.csv", progress=True)
    assert _Bar.last is not None and _Bar.last.n == n

"""The AMLSim adapter on a hand-written miniature of AMLSim's output."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from graph_loader import fields
from graph_loader.adapters.amlsim import AdapterError, account_iban, choose_known, convert


def _gz(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with gzip.open(path, "wt", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def amlsim(tmp_path: Path) -> Path:
    src = tmp_path / "amlsim"
    src.mkdir()
    _gz(src / "accounts.csv.gz",
        ["acct_id", "type", "open_step", "initial_deposit", "holder_ssn", "birth_date"],
        [[i, "I", 0, 1000, f"100-00-{i // 2:04d}", "1990-05-17"] for i in range(8)])
    tx = [
        [1, 0, 1, "TRANSFER", 10.5, "2017-01-01T00:00:00Z"],
        [2, 1, 2, "TRANSFER", 20, "2017-01-03T00:00:00Z"],
        [3, 2, 0, "TRANSFER", 30, "2017-01-02T00:00:00Z"],
        [4, 4, 5, "TRANSFER", 0, "2017-01-02T00:00:00Z"],  # amount 0: left out
        [5, 6, 6, "TRANSFER", 5, "2017-01-02T00:00:00Z"],  # self-transfer: left out
        [6, 6, 7, "TRANSFER", 5, "2017-01-05T00:00:00Z"],
        [7, 7, 3, "TRANSFER", 5, "2017-01-06T00:00:00Z"],
    ]
    _gz(src / "transactions.csv.gz",
        ["tran_id", "orig_acct", "bene_acct", "tx_type", "amount", "timestamp"], tx)
    _gz(src / "labels.csv.gz", ["alert_id", "alert_type", "acct_id", "is_sar", "start", "end"],
        [[0, "cycle", 0, True, 0, 9], [0, "cycle", 1, True, 0, 9], [0, "cycle", 2, True, 0, 9],
         [1, "fan_in", 6, True, 0, 9], [1, "fan_in", 7, True, 0, 9],
         [1, "fan_in", 3, True, 0, 9]])
    return src


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_conversion_follows_the_protocol(amlsim: Path, tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    res = convert(amlsim, out, split_seed=1, known_share=0.5)
    assert res.accounts == 8
    assert res.left_out == {"amount_not_positive": 1, "self_transfer": 1, "unknown_account": 0}
    assert res.transfers == 5
    assert len(res.known_alerts) == 1

    accounts = _read(out / "accounts.csv")
    for a in accounts:  # every value passes the loader's own field parsers
        assert fields.iban(a["iban"]) == a["iban"]
        assert fields.iin(a["holder_iin"]) == a["holder_iin"]
    # two accounts per holder (ssn + birth date): one IIN each holder
    assert len({a["holder_iin"] for a in accounts}) == 4

    tr = _read(out / "transfers.csv")
    by_id = {t["tx_id"]: t for t in tr}
    assert by_id["aml1"]["interbank"] == "true"  # acct 0 and 1: different banks
    assert by_id["aml1"]["from_iban"] == account_iban("0")

    lists = _read(out / "list_entries.csv")
    known = res.known_alerts[0]
    # dated 7 days after the first transfer between two members of the alert
    expected = "2017-01-08T00:00:00Z" if known == "0" else "2017-01-12T00:00:00Z"
    assert {e["since"] for e in lists} == {expected}
    assert {e["source"] for e in lists} == {"AFC"}

    truth = _read(out / "truth" / "entities.csv")
    assert len(truth) == 6
    assert sum(1 for t in truth if t["known_at"]) == 3
    assert res.known_accounts == 3 and res.hidden_accounts == 3


def test_split_is_fixed_by_its_seed() -> None:
    ids = [str(i) for i in range(100)]
    assert choose_known(ids, 0.3, 5) == choose_known(list(reversed(ids)), 0.3, 5)
    assert len(choose_known(ids, 0.3, 5)) == 30
    assert choose_known(ids, 0.3, 5) != choose_known(ids, 0.3, 6)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(AdapterError, match="accounts"):
        convert(tmp_path, tmp_path / "out")

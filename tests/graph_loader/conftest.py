"""A tiny hand-written feed directory: every row's fate is known in advance."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest


def kz_iban(bank3: str, n: int) -> str:
    bban = f"{bank3}{n:013d}"
    digits = "".join(str(int(c, 36)) for c in bban + "KZ00")
    check = 98 - int(digits) % 97
    return f"KZ{check:02d}{bban}"


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


IBANS = [kz_iban("125", i) for i in range(6)]
IINS = ["900101300101", "850505400202", "770707300303"]
PHONES = ["+7 701 000 00 01", "+7 705 000 00 02"]
T = "2026-03-01T10:00:00+05:00"


@pytest.fixture
def tiny_feeds(tmp_path: Path) -> Path:
    d = tmp_path / "feeds"
    d.mkdir()
    write_csv(d / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"], [
        [IBANS[0], "HALYK", IINS[0], T, "personal"],
        [IBANS[1], "KASPI", IINS[1], T, "personal"],
        [IBANS[2], "KASPI", IINS[2], T, "personal"],
        [IBANS[3], "FORTE", IINS[2], "2026-03-02T10:00:00+05:00", "personal"],
        [IBANS[4], "FORTE", IINS[0], T, "merchant"],
    ])
    write_csv(d / "devices.csv", ["device_id", "platform", "first_seen_at"], [
        ["dev-a", "android", T], ["dev-b", "ios", T]])
    write_csv(d / "phones.csv", ["event_id", "number", "operator", "holder_iin", "event", "at"], [
        ["s1", PHONES[0], "KCELL", IINS[0], "new_sim", T],
        ["s2", PHONES[1], "BEELINE", IINS[1], "swap", "2026-03-03T10:00:00+05:00"]])
    write_csv(d / "logins.csv", ["session_id", "iban", "device_id", "ip", "at"], [
        ["l1", IBANS[1], "dev-a", "10.1.2.3", T],
        ["l2", IBANS[2], "dev-a", "10.1.2.4", "2026-03-02T10:00:00+05:00"]])
    write_csv(d / "transfers.csv",
              ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"], [
        ["t1", IBANS[0], IBANS[1], "150000", "2026-03-04T10:00:00+05:00", "app", "true"],
        ["t2", IBANS[1], IBANS[2], "149000", "2026-03-04T10:20:00+05:00", "app", "false"],
        ["t3", IBANS[2], IBANS[3], "148000", "2026-03-04T10:40:00+05:00", "app", "true"],
        ["t4", IBANS[3], IBANS[4], "5000.50", "2026-03-05T10:00:00+05:00", "qr", "false"]])
    write_csv(d / "calls.csv", ["call_id", "caller", "callee", "at", "duration_s"], [
        ["c1", PHONES[1], PHONES[0], "2026-03-04T09:55:00+05:00", "120"]])
    write_csv(d / "incidents.csv",
              ["incident_id", "reported_at", "reporter", "scheme", "victim_iban", "amount_kzt",
               "beneficiary_ibans", "caller_phone", "occurred_at"], [
        ["inc-1", "2026-03-05T12:00:00+05:00", "HALYK", "phone_fraud", IBANS[0], "150000",
         IBANS[1], PHONES[1], "2026-03-04T10:00:00+05:00"]])
    write_csv(d / "list_entries.csv",
              ["entry_id", "entity_kind", "entity_id", "list", "reason", "source", "since",
               "until"], [
        ["le-1", "account", IBANS[2], "black", "mule, see case 17", "POLICE", T, ""],
        ["le-2", "phone", PHONES[1], "grey", "caller in 1 incident", "AFC", T,
         "2027-03-01T00:00:00+05:00"]])
    return d

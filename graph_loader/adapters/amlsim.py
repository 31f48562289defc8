"""IBM AMLSim output -> a fraudgraph feed directory, by the protocol of
``shared/data/amlsim-10k/README.md``.

    convert(src, out, split_seed=20261125)  -> AmlsimConversion (counts, split, paths)

- Each AMLSim account becomes a KZ IBAN at one of ``BANKS`` banks (``acct_id % 10``: a
  fixed mapping); ``holder_ssn`` + ``birth_date`` become one IIN per distinct holder.
- Transfers keep their amount and day-step timestamp; ``channel`` is ``app`` and
  ``interbank`` is set when the two banks differ. Rows the feed format cannot take
  (amount <= 0, self-transfers, an account that does not exist) are left out and counted.
- The SAR alert ids are sorted and ``known_share`` of them drawn with ``split_seed``: their
  members are *known*, one black-list entry each (source AFC), dated 7 days after the
  first transfer between two members of the alert. The other SAR members are the hidden
  positives of the evaluation.
- ``truth/entities.csv`` (the generated worlds' truth format, docs/feeds.md) holds every
  SAR member with ``known_at`` set for the known ones, so the project's evaluation reads
  it like a generated world's truth.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from graph_loader.errors import GraphLoaderError

log = logging.getLogger(__name__)

BANKS = tuple(f"AML{i}" for i in range(10))
KNOWN_DELAY = timedelta(days=7)
ORIGIN = datetime(2017, 1, 1, tzinfo=UTC)


class AdapterError(GraphLoaderError):
    """The foreign data set cannot be read as the adapter expects."""


@dataclass
class AmlsimConversion:
    out: Path
    split_seed: int
    known_share: float
    accounts: int = 0
    transfers: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    alerts: int = 0
    known_alerts: list[str] = field(default_factory=list)
    known_accounts: int = 0
    hidden_accounts: int = 0

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["out"] = str(self.out)
        return d


def _iban(bank: int, number: int) -> str:
    bban = f"{100 + bank:03d}{number:013d}"
    digits = "".join(str(int(c, 36)) for c in bban + "KZ00")
    return f"KZ{98 - int(digits) % 97:02d}{bban}"


def account_iban(acct_id: str) -> str:
    n = int(acct_id)
    return _iban(n % len(BANKS), n)


def _iin(birth: str, serial: int) -> str:
    """YYMMDD + century digit + a 4-digit serial + a check digit (the Kazakh weights)."""
    d = date.fromisoformat(birth)
    century = 3 if d.year < 2000 else 5
    body = [int(c) for c in f"{d:%y%m%d}{century}{serial % 10_000:04d}"]
    check = sum(w * x for w, x in zip(range(1, 12), body, strict=True)) % 11
    if check == 10:
        check = sum(w * x for w, x in zip((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), body,
                                          strict=True)) % 11
    return "".join(map(str, body)) + str(check % 10)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise AdapterError(f"{path}: not found")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as fh:  # type: ignore[operator]
        return list(csv.DictReader(fh))


def _find(src: Path, name: str) -> Path:
    for candidate in (src / f"{name}.csv.gz", src / f"{name}.csv"):
        if candidate.exists():
            return candidate
    raise AdapterError(f"{src}: no {name}.csv(.gz)")


def _stamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def choose_known(alert_ids: list[str], share: float, seed: int) -> list[str]:
    """The known alerts: ``round(share * n)`` of the sorted ids, drawn with ``seed``."""
    ordered = sorted(alert_ids, key=lambda a: (len(a), a))
    k = round(share * len(ordered))
    pick = np.random.default_rng(seed).choice(len(ordered), size=k, replace=False)
    return [ordered[i] for i in sorted(pick.tolist())]


def convert(src: Path, out: Path, *, split_seed: int = 20261125,
            known_share: float = 0.3) -> AmlsimConversion:
    """Write ``out/{accounts,transfers,list_entries}.csv`` and ``out/truth/``."""
    res = AmlsimConversion(out, split_seed, known_share)
    accounts = _rows(_find(src, "accounts"))
    tx = _rows(_find(src, "transactions"))
    labels = _rows(_find(src, "labels"))

    serials: dict[tuple[str, str], int] = {}
    per_birth: dict[str, int] = defaultdict(int)
    acc_rows: list[list[object]] = []
    bank_of: dict[str, int] = {}
    for r in accounts:
        holder = (r["holder_ssn"], r["birth_date"])
        if holder not in serials:
            serials[holder] = per_birth[r["birth_date"]]
            per_birth[r["birth_date"]] += 1
        a = r["acct_id"]
        bank_of[a] = int(a) % len(BANKS)
        opened = ORIGIN + timedelta(days=int(r.get("open_step") or 0))
        kind = "personal" if r.get("type", "I") == "I" else "business"
        acc_rows.append([account_iban(a), BANKS[bank_of[a]],
                         _iin(r["birth_date"], serials[holder]), _stamp(opened), kind])
    res.accounts = len(acc_rows)

    left = {"amount_not_positive": 0, "self_transfer": 0, "unknown_account": 0}
    tx_rows: list[list[object]] = []
    first_at: dict[tuple[str, str], datetime] = {}
    for r in tx:
        o, b = r["orig_acct"], r["bene_acct"]
        if o not in bank_of or b not in bank_of:
            left["unknown_account"] += 1
            continue
        if o == b:
            left["self_transfer"] += 1
            continue
        amount = float(r["amount"])
        if not amount > 0:
            left["amount_not_positive"] += 1
            continue
        at = datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))
        key = (o, b) if o < b else (b, o)
        if key not in first_at or at < first_at[key]:
            first_at[key] = at
        tx_rows.append([f"aml{r['tran_id']}", account_iban(o), account_iban(b),
                        f"{amount:.2f}", _stamp(at), "app",
                        "true" if bank_of[o] != bank_of[b] else "false"])
    res.transfers = len(tx_rows)
    res.left_out = left

    members: dict[str, list[str]] = defaultdict(list)
    types: dict[str, str] = {}
    for r in labels:
        if r.get("is_sar", "True").strip().lower() not in ("true", "1"):
            continue
        if r["acct_id"] not in bank_of:
            continue
        members[r["alert_id"]].append(r["acct_id"])
        types[r["alert_id"]] = r["alert_type"]
    res.alerts = len(members)
    res.known_alerts = choose_known(list(members), known_share, split_seed)
    known_set = set(res.known_alerts)

    known_at: dict[str, datetime] = {}
    list_rows: list[list[object]] = []
    for alert in res.known_alerts:
        accs = members[alert]
        inside = [first_at[(x, y) if x < y else (y, x)]
                  for i, x in enumerate(accs) for y in accs[i + 1:]
                  if ((x, y) if x < y else (y, x)) in first_at]
        if not inside:
            log.warning("alert %s: no transfer between two members; not listed", alert)
            continue
        since = min(inside) + KNOWN_DELAY
        for a in accs:
            if a not in known_at or since < known_at[a]:
                known_at[a] = since
            list_rows.append([f"amlsar{alert}-{a}", "account", account_iban(a), "black",
                              f"AMLSim SAR alert {alert} ({types[alert]})", "AFC",
                              _stamp(since), ""])

    truth_rows: list[list[object]] = []
    seen: set[str] = set()
    for alert in sorted(members, key=lambda a: (len(a), a)):
        for a in members[alert]:
            if a in seen:
                continue
            seen.add(a)
            k = known_at.get(a)
            truth_rows.append(["account", account_iban(a), 1, "member", f"alert{alert}",
                               types[alert], "", k.isoformat() if k else ""])
    res.known_accounts = len(known_at)
    res.hidden_accounts = len(seen) - len(known_at)

    _write(out / "accounts.csv", ["iban", "bank", "holder_iin", "opened_at", "kind"], acc_rows)
    _write(out / "transfers.csv", ["tx_id", "from_iban", "to_iban", "amount_kzt", "at",
                                   "channel", "interbank"], tx_rows)
    _write(out / "list_entries.csv", ["entry_id", "entity_kind", "entity_id", "list", "reason",
                                      "source", "since", "until"], list_rows)
    _write(out / "truth" / "entities.csv",
           ["entity_kind", "entity_id", "is_fraud", "role", "scheme_id", "scheme_type",
            "active_from", "known_at"], truth_rows)
    _write(out / "truth" / "schemes.csv", ["scheme_id", "scheme_type", "known"],
           [[f"alert{a}", types[a], int(a in known_set)]
            for a in sorted(members, key=lambda a: (len(a), a))])
    (out / "truth" / "manifest.json").write_text(json.dumps(res.as_dict(), indent=2))
    log.info("AMLSim %s -> %s: %d accounts, %d transfers (left out %s), %d/%d alerts known",
             src, out, res.accounts, res.transfers, left, len(res.known_alerts), res.alerts)
    return res

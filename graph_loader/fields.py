"""Pure parsers for feed fields. Each returns the clean value or raises FieldError(reason)."""

from __future__ import annotations

import calendar
import ipaddress
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from graph_loader.errors import FieldError

MAX_AMOUNT_KZT = 100_000_000_000
# Identifier patterns are ASCII-only on purpose: Python's \d and str.upper() accept every
# Unicode digit and fold letters ('ß' -> 'SS'), so a look-alike would become a second
# entity beside the real one. Patterns are used with fullmatch (no `$`-before-newline).
_IIN = re.compile(r"[0-9]{12}")
_IBAN = re.compile(r"KZ[0-9]{2}[0-9A-Z]{16}")
_PHONE = re.compile(r"7[0-9]{10}")
_E164 = re.compile(r"[1-9][0-9]{7,14}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}")
_BANK = re.compile(r"[A-Z0-9_]{2,16}")
# Printable ASCII; single inner spaces are allowed (browser fingerprints hold them), the
# ends are trimmed by _text and runs of spaces are one space (pseudonym.normalise).
_DEVICE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[\s\-()]")
_UNDECODED = re.compile("[\udc80-\udcff]")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError as e:
            raise FieldError("not valid UTF-8") from e
    s = str(value)
    # Undecodable bytes arrive as lone surrogates (surrogateescape); ASCII, the common
    # case, cannot hold one, and the check runs on every field of every row.
    if not s.isascii() and _UNDECODED.search(s):
        raise FieldError("not valid UTF-8")
    return s.strip()


def required(value: object) -> str:
    s = _text(value)
    if not s:
        raise FieldError("missing")
    return s


def identifier(value: object) -> str:
    s = required(value)
    if not _ID.fullmatch(s):
        raise FieldError("must be 1-128 characters of letters, digits, '_', '.', ':' or '-'")
    return s


def bank_code(value: object) -> str:
    s = required(value)
    if not s.isascii() or not _BANK.fullmatch(s := s.upper()):
        raise FieldError("bank code must be 2-16 of A-Z, 0-9, '_'")
    return s


def iin(value: object) -> str:
    s = required(value)
    if not _IIN.fullmatch(s):
        raise FieldError("IIN must be exactly 12 digits")
    month = int(s[2:4])
    if not 1 <= month <= 12:
        raise FieldError("IIN birth month (digits 3-4) must be 01-12")
    return s


def iban(value: object) -> str:
    s = re.sub(r"\s", "", required(value))
    if not s.isascii() or not _IBAN.fullmatch(s := s.upper()):
        raise FieldError("IBAN must be KZ + 2 check digits + 16 letters/digits (20 characters)")
    if not _mod97(s):
        raise FieldError("IBAN check digits are wrong")
    return s


def phone(value: object) -> str:
    """The +7 zone as its 11 digits (`77011234567`); any other zone in E.164 form with
    its plus (`+447911123456`), so that a foreign number is never read as a domestic one:
    `+81 3 1234 5678` has 11 digits starting with 8, the domestic trunk prefix."""
    s = _SPACES.sub("", required(value))
    if s.startswith("+"):
        s = s[1:]
        if not s.startswith("7"):
            if len(s) == 11 and s.startswith("87"):
                # '+8 701 ...' is the domestic '8 701 ...' with a stray plus far more
                # often than an Inmarsat number (+870): refused rather than guessed.
                raise FieldError("phone '+8 7..' is ambiguous: write +7 7.. or 8 7..")
            if not _E164.fullmatch(s):
                raise FieldError("phone must be +7 followed by 10 digits, or another "
                                 "zone in E.164 form: + and 8-15 digits")
            return "+" + s
    elif len(s) == 11 and s.startswith("8"):
        s = "7" + s[1:]  # the domestic trunk prefix 8 stands for +7
    if not _PHONE.fullmatch(s):
        raise FieldError("phone must be +7 followed by 10 digits, or another zone in "
                         "E.164 form: + and 8-15 digits")
    return s


def is_foreign_phone(number: str) -> bool:
    """Whether a number `phone()` accepted lies outside the +7 zone: its canonical form
    or the form it was written in (only another zone keeps a plus not followed by 7)."""
    s = _SPACES.sub("", number)
    return s.startswith("+") and not s.startswith("+7")


# Counterparties of a transfer or an incident: who the money went to (or came from). Only
# a KZ IBAN can be a participant's account; the rest are outside the participants.
EXTERNAL_KINDS = ("iban", "foreign_iban", "card", "wallet")
_FOREIGN_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[0-9A-Z]{11,30}")
_CARD = re.compile(r"[0-9]{13,19}")
_WALLET = re.compile(r"wallet:([A-Z0-9_]{2,16}):([A-Za-z0-9_.@+\-]{1,64})", re.IGNORECASE)
_COUNTERPARTY_HELP = ("must be an IBAN, a card number (13-19 digits) or an e-wallet as "
                      "wallet:<PROVIDER>:<id>")


def _mod97(s: str) -> bool:
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def counterparty(value: object) -> tuple[str, str]:
    """(canonical value, kind). Kind `iban` is a KZ IBAN (a participant's account if an
    accounts feed sent it); `foreign_iban`, `card` and `wallet` are never one. The
    canonical value pseudonymises as an account (fraudgraph.pseudonym): a card quoted in
    free text gets the same pseudonym as the card in a transfer."""
    raw = required(value)
    if not raw.isascii():
        raise FieldError(_COUNTERPARTY_HELP)
    if raw[:7].lower() == "wallet:":
        m = _WALLET.fullmatch(raw)
        if m is None:
            raise FieldError("e-wallet must be wallet:<PROVIDER>:<id> (provider 2-16 of "
                             "A-Z, 0-9, '_'; id 1-64 letters, digits or _.@+-)")
        return f"wallet:{m.group(1).upper()}:{m.group(2)}", "wallet"
    s = re.sub(r"[\s\-]", "", raw).upper()
    if s.startswith("KZ"):
        return iban(s), "iban"
    if _CARD.fullmatch(s):
        if not _luhn(s):
            raise FieldError("card number fails its check digit (Luhn)")
        return s, "card"
    if _FOREIGN_IBAN.fullmatch(s):
        if not _mod97(s):
            raise FieldError("IBAN check digits are wrong")
        return s, "foreign_iban"
    raise FieldError(_COUNTERPARTY_HELP)


def device_id(value: object) -> str:
    s = required(value)
    if not _DEVICE.fullmatch(s):
        raise FieldError("device id must be 1-128 printable ASCII characters")
    return s


def ip(value: object) -> str:
    s = required(value)
    try:
        return str(ipaddress.ip_address(s))
    except ValueError as e:
        raise FieldError("not an IPv4 or IPv6 address") from e


# RFC 3339 (ISO-8601's profile for data exchange): extended format, 'T' or a space between
# date and time. datetime.fromisoformat is far looser (any separator, week dates, basic
# format, Unicode digits), so the syntax is checked here and only the calendar by datetime.
_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,9})?)?"
    r"(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))?")
MIN_YEAR = 1990
_MIN_EPOCH = calendar.timegm((MIN_YEAR, 1, 1, 0, 0, 0))
_MAX_OFFSET_MIN = 14 * 60  # the widest zone in use (UTC+14, UTC-12)


def timestamp(value: object, *, now: datetime | None) -> int:
    """Epoch seconds. Zone required; not later than `now` + 1 day (unless now is None,
    for expiries); not before 1990. Computed without datetime arithmetic, which
    overflows at the ends of its range (9999-12-31T23:59:59-12:00 is year 10000 in UTC)."""
    if isinstance(value, datetime):
        dt = value
        offset = dt.utcoffset()
        if offset is None:
            raise FieldError("timestamp has no time zone")
        off_s = int(offset.total_seconds())
    else:
        s = required(value)
        if len(s) > 40:
            raise FieldError("timestamp too long")
        m = _TIMESTAMP.fullmatch(s)
        if m is None:
            raise FieldError("not an ISO-8601 timestamp (YYYY-MM-DDThh:mm:ss+hh:mm)")
        y, mo, d, hh, mi, ss = (int(g) if g else 0 for g in m.groups()[:6])
        try:
            dt = datetime(y, mo, d, hh, mi, ss)
        except ValueError as e:
            raise FieldError(f"not an ISO-8601 timestamp ({e})") from None
        if m.group(7):
            off_s = 0
        elif m.group(8):
            oh, om = int(m.group(9)), int(m.group(10))
            if om >= 60 or oh * 60 + om > _MAX_OFFSET_MIN:
                raise FieldError("time zone offset out of range (-14:00..+14:00)")
            off_s = (oh * 3600 + om * 60) * (1 if m.group(8) == "+" else -1)
        else:
            raise FieldError("timestamp has no time zone")
    epoch = calendar.timegm(dt.timetuple()) - off_s
    if now is not None and epoch > now.timestamp() + timedelta(days=1).total_seconds():
        raise FieldError("timestamp is in the future")
    if dt.year < MIN_YEAR or epoch < _MIN_EPOCH:
        raise FieldError(f"timestamp is before {MIN_YEAR}")
    return epoch


_PLAIN_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
# Decimal() also takes Unicode digits and '_' groups; the written forms accepted are ASCII
# decimals, optionally signed (so '-5' is told it is not positive) or with an exponent.
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                     r"|[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_TIYN = Decimal("0.01")


def amount(value: object) -> float:
    # Fast path for the common plain form; Decimal handles the rest exactly.
    if isinstance(value, str) and _PLAIN_AMOUNT.fullmatch(value):
        f = float(value)
        if f <= 0:
            raise FieldError("amount must be positive (at least 0.01 KZT)")
        if f > MAX_AMOUNT_KZT:
            raise FieldError(f"amount exceeds {MAX_AMOUNT_KZT} KZT")
        return f
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        d = Decimal(str(value))
    else:
        s = required(value).replace(" ", "")
        if len(s) > 30:
            raise FieldError("amount too long")
        if not _AMOUNT.fullmatch(s):
            raise FieldError("amount is not a number")
        try:
            d = Decimal(s)
        except InvalidOperation as e:
            raise FieldError("amount is not a number") from e
    if not d.is_finite():
        raise FieldError("amount is not a finite number")
    if d > MAX_AMOUNT_KZT:
        raise FieldError(f"amount exceeds {MAX_AMOUNT_KZT} KZT")
    # Stored to the tiyn; checked after rounding, so 0.001 is not stored as 0.0.
    d = d.quantize(_TIYN, ROUND_HALF_UP) if d > 0 else d
    if d <= 0:
        raise FieldError("amount must be positive (at least 0.01 KZT)")
    return float(d)


def integer(value: object, lo: int, hi: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        s = required(value)
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", s):
            raise FieldError("not an integer")
        n = int(s)
    if not lo <= n <= hi:
        raise FieldError(f"must be between {lo} and {hi}")
    return n


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    s = required(value)
    s = s.lower() if s.isascii() else ""  # 'K' (Kelvin sign) lowers to 'k'
    if s in ("true", "1", "yes", "t", "y"):
        return True
    if s in ("false", "0", "no", "f", "n"):
        return False
    raise FieldError("must be true or false")


def choice(value: object, options: tuple[str, ...]) -> str:
    s = required(value)
    if not s.isascii() or (s := s.lower()) not in options:
        raise FieldError(f"must be one of: {', '.join(options)}")
    return s


def free_text(value: object, max_len: int = 500) -> str:
    s = required(value)
    if len(s) > max_len:
        raise FieldError(f"longer than {max_len} characters")
    if _CONTROL.search(s):
        raise FieldError("contains control characters")
    return s


def optional(value: object) -> bool:
    """True when the optional field is empty."""
    return _text(value) == ""

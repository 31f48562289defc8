"""Pure parsers for feed fields. Each returns the clean value or raises FieldError(reason)."""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from graph_loader.errors import FieldError

MAX_AMOUNT_KZT = 100_000_000_000
_IIN = re.compile(r"^\d{12}$")
_IBAN = re.compile(r"^KZ\d{2}[0-9A-Z]{16}$")
_PHONE = re.compile(r"^7[0-9]{10}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")
_BANK = re.compile(r"^[A-Z0-9_]{2,16}$")
_DEVICE = re.compile(r"^[\x21-\x7e]{1,128}$")
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
    if not _ID.match(s):
        raise FieldError("must be 1-128 characters of letters, digits, '_', '.', ':' or '-'")
    return s


def bank_code(value: object) -> str:
    s = required(value).upper()
    if not _BANK.match(s):
        raise FieldError("bank code must be 2-16 of A-Z, 0-9, '_'")
    return s


def iin(value: object) -> str:
    s = required(value)
    if not _IIN.match(s):
        raise FieldError("IIN must be exactly 12 digits")
    month = int(s[2:4])
    if not 1 <= month <= 12:
        raise FieldError("IIN birth month (digits 3-4) must be 01-12")
    return s


def iban(value: object) -> str:
    s = re.sub(r"\s", "", required(value)).upper()
    if not _IBAN.match(s):
        raise FieldError("IBAN must be KZ + 2 check digits + 16 letters/digits (20 characters)")
    rearranged = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    if int(digits) % 97 != 1:
        raise FieldError("IBAN check digits are wrong")
    return s


def phone(value: object) -> str:
    s = _SPACES.sub("", required(value))
    if s.startswith("+"):
        s = s[1:]
    if len(s) == 11 and s.startswith("8"):
        s = "7" + s[1:]
    if not _PHONE.match(s):
        raise FieldError("phone must be +7 followed by 10 digits")
    return s


def device_id(value: object) -> str:
    s = required(value)
    if not _DEVICE.match(s):
        raise FieldError("device id must be 1-128 printable ASCII characters without spaces")
    return s


def ip(value: object) -> str:
    s = required(value)
    try:
        return str(ipaddress.ip_address(s))
    except ValueError as e:
        raise FieldError("not an IPv4 or IPv6 address") from e


def timestamp(value: object, *, now: datetime | None) -> int:
    """Epoch seconds. Zone required; not later than `now` + 1 day (unless now is None,
    for expiries); not before 1990."""
    if isinstance(value, datetime):
        dt = value
    else:
        s = required(value)
        if len(s) > 40:
            raise FieldError("timestamp too long")
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError as e:
            raise FieldError("not an ISO-8601 timestamp") from e
    if dt.tzinfo is None:
        raise FieldError("timestamp has no time zone")
    if now is not None and dt > now + timedelta(days=1):
        raise FieldError("timestamp is in the future")
    if dt.year < 1990:
        raise FieldError("timestamp is before 1990")
    return int(dt.astimezone(UTC).timestamp())


_PLAIN_AMOUNT = re.compile(r"^\d{1,12}(?:\.\d{1,2})?$")


def amount(value: object) -> float:
    # Fast path for the common plain form; Decimal handles the rest exactly.
    if isinstance(value, str) and _PLAIN_AMOUNT.match(value):
        f = float(value)
        if f <= 0:
            raise FieldError("amount must be positive")
        if f > MAX_AMOUNT_KZT:
            raise FieldError(f"amount exceeds {MAX_AMOUNT_KZT} KZT")
        return f
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        d = Decimal(str(value))
    else:
        s = required(value).replace(" ", "")
        if len(s) > 30:
            raise FieldError("amount too long")
        try:
            d = Decimal(s)
        except InvalidOperation as e:
            raise FieldError("amount is not a number") from e
    if not d.is_finite():
        raise FieldError("amount is not a finite number")
    if d <= 0:
        raise FieldError("amount must be positive")
    if d > MAX_AMOUNT_KZT:
        raise FieldError(f"amount exceeds {MAX_AMOUNT_KZT} KZT")
    return float(round(d, 2))


def integer(value: object, lo: int, hi: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        s = required(value)
        if not re.fullmatch(r"-?\d{1,12}", s):
            raise FieldError("not an integer")
        n = int(s)
    if not lo <= n <= hi:
        raise FieldError(f"must be between {lo} and {hi}")
    return n


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    s = required(value).lower()
    if s in ("true", "1", "yes", "t", "y"):
        return True
    if s in ("false", "0", "no", "f", "n"):
        return False
    raise FieldError("must be true or false")


def choice(value: object, options: tuple[str, ...]) -> str:
    s = required(value).lower()
    if s not in options:
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

"""Kazakh-looking identifiers, built vectorised as fixed-width byte strings.

IBAN: `KZ` + 2 ISO 7064 mod-97 check digits + 3-digit bank code + 13-digit account number.
IIN: YYMMDD + century/sex digit + serial + check digit (the official 11-weight scheme);
BIN: YYMM + `40` + serial + check digit. Phones: `+7 7xx xxx xx xx`. Uniqueness comes
from bijections of the entity index (affine maps modulo the number space, splitmix64),
so no identifier is ever drawn twice and none depends on a set or dict order.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from generator.config import BANKS, PHONE_PREFIXES, PLATFORMS

_ZERO = ord("0")
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_IIN_W1 = np.arange(1, 12, dtype=np.int64)
_IIN_W2 = np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], dtype=np.int64)
_ACCT_SPACE = 10**13
_SUB_SPACE = 10**7
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) ASCII digit matrix of non-negative integers, zero-padded."""
    v = np.asarray(values, dtype=np.int64)
    pows = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((v[:, None] // pows[None, :]) % 10 + _ZERO).astype(np.uint8)


def assemble(n: int, *parts: bytes | np.ndarray) -> np.ndarray:
    """Concatenate constant byte strings and (n, w) uint8 matrices into an `S` array."""
    mats: list[np.ndarray] = []
    for part in parts:
        if isinstance(part, bytes):
            mats.append(np.broadcast_to(np.frombuffer(part, dtype=np.uint8), (n, len(part))))
        else:
            mats.append(part)
    m = np.ascontiguousarray(np.concatenate(mats, axis=1))
    return m.view(f"S{m.shape[1]}").reshape(n)


def to_arrow(strings: np.ndarray) -> pa.Array:
    """`S` array -> Arrow utf8 (all generated identifiers are ASCII)."""
    return pa.array(strings, type=pa.binary()).cast(pa.string())


def splitmix64(x: np.ndarray) -> np.ndarray:
    """A bijection of uint64: distinct inputs give distinct, random-looking outputs."""
    z = np.asarray(x, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _affine(idx: np.ndarray, space: int, seed: int, salt: int) -> np.ndarray:
    """idx -> (a*idx + b) mod space, a bijection because a is coprime with space."""
    h = int(splitmix64(np.array([seed * 1_000_003 + salt], dtype=np.uint64))[0])
    a = (h % (1 << 31)) * 30 + 7  # odd, not a multiple of 3 or 5, below 2**36
    while np.gcd(a, space) != 1:
        a += 30
    b = (h >> 20) % space
    i = np.asarray(idx, dtype=np.int64) % space
    return (i * a % space + b) % space  # i < 2**23 and a < 2**36 keep i*a inside int64


# --- IBAN ----------------------------------------------------------------------------

_BANK_NUM = np.array([int(b[1]) for b in BANKS], dtype=np.int64)


def iban_check_digits(bank_num: np.ndarray, acct: np.ndarray) -> np.ndarray:
    """ISO 7064 mod 97-10 for KZ: BBAN digits, then 'K'=20 'Z'=35 '00' appended."""
    r = (np.asarray(bank_num, dtype=np.int64) * _ACCT_SPACE + acct) % 97
    r = (r * 1_000_000 + 203_500) % 97
    return 98 - r


def ibans(account_idx: np.ndarray, bank_idx: np.ndarray, seed: int) -> np.ndarray:
    acct = _affine(account_idx, _ACCT_SPACE, seed, salt=1)
    bank_num = _BANK_NUM[np.asarray(bank_idx, dtype=np.int64)]
    check = iban_check_digits(bank_num, acct)
    n = len(acct)
    return assemble(n, b"KZ", digits(check, 2), digits(bank_num, 3), digits(acct, 13))


def iban_ok(s: str) -> bool:
    if len(s) != 20 or not s.startswith("KZ") or not s[2:].isalnum():
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# --- IIN / BIN -----------------------------------------------------------------------


def _with_check(first10: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Append digit 11 (free) and the check digit 12, choosing digit 11 so that the check
    exists: digit 11 weighs 11 (= 0 mod 11) in pass one and 2 in pass two."""
    d = first10.astype(np.int64) - _ZERO
    n = d.shape[0]
    s1: np.ndarray = (d @ _IIN_W1[:10]) % 11
    s2_base: np.ndarray = d @ _IIN_W2[:10]
    free = np.asarray(rng.integers(0, 10, n), dtype=np.int64)
    s2 = (s2_base + 2 * free) % 11
    bad = (s1 == 10) & (s2 == 10)
    free = np.where(bad, (free + 1) % 10, free)
    s2 = (s2_base + 2 * free) % 11
    check = np.where(s1 == 10, s2, s1)
    out = np.concatenate([d, free[:, None], check[:, None]], axis=1) + _ZERO
    return out.astype(np.uint8)


def _rank_within(keys: np.ndarray) -> np.ndarray:
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    first = np.r_[True, sk[1:] != sk[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(sk)), 0))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(sk)) - starts
    return rank


def iins(birth_day: np.ndarray, female: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """IINs from birth dates (days since 1970-01-01) and sex; unique per person."""
    dates = np.asarray(birth_day, dtype=np.int64).astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    century = np.where(years >= 2000, 5, 3) + np.asarray(female, dtype=np.int64)
    key = np.asarray(birth_day, dtype=np.int64) * 10 + century
    serial = _rank_within(key)
    if serial.size and serial.max() >= 1000:
        raise ValueError("more than 1000 people born on one day")
    first10 = np.concatenate(
        [
            digits(years % 100, 2),
            digits(months, 2),
            digits(dom, 2),
            digits(century, 1),
            digits(serial, 3),
        ],
        axis=1,
    )
    return assemble(len(key), _with_check(first10, rng))


def bins(reg_month: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Business identification numbers: YYMM of registration, '40', serial, check."""
    m = np.asarray(reg_month, dtype=np.int64)  # months since 1970-01
    serial = _rank_within(m)
    first10 = np.concatenate(
        [
            digits((m // 12 + 1970) % 100, 2),
            digits(m % 12 + 1, 2),
            np.broadcast_to(np.frombuffer(b"40", dtype=np.uint8), (len(m), 2)),
            digits(serial, 4),
        ],
        axis=1,
    )
    return assemble(len(m), _with_check(first10, rng))


def iin_ok(s: str) -> bool:
    if len(s) != 12 or not s.isdigit():
        return False
    d = [int(c) for c in s]
    c = sum(int(w) * x for w, x in zip(_IIN_W1, d[:11], strict=True)) % 11
    if c == 10:
        c = sum(int(w) * x for w, x in zip(_IIN_W2, d[:11], strict=True)) % 11
    return c != 10 and c == d[11]


# --- phones, devices, IPs ------------------------------------------------------------

_PREFIX_DIGITS = np.array([int(p) for p, _ in PHONE_PREFIXES], dtype=np.int64)
PREFIX_OPERATOR = np.array([o for _, o in PHONE_PREFIXES], dtype=np.int8)


def phone_slots(phone_idx: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(prefix index, 7-digit subscriber number), distinct for distinct phone indices."""
    v = _affine(phone_idx, len(PHONE_PREFIXES) * _SUB_SPACE, seed, salt=2)
    return v // _SUB_SPACE, v % _SUB_SPACE


def phone_numbers(phone_idx: np.ndarray, seed: int) -> np.ndarray:
    prefix, sub = phone_slots(phone_idx, seed)
    n = len(prefix)
    return assemble(
        n,
        b"+7 ",
        digits(_PREFIX_DIGITS[prefix], 3),
        b" ",
        digits(sub // 10_000, 3),
        b" ",
        digits(sub // 100 % 100, 2),
        b" ",
        digits(sub % 100, 2),
    )


_PLATFORM_TAG = [p[:3].encode() + b"-" for p in PLATFORMS]


def device_ids(device_idx: np.ndarray, platform: np.ndarray, seed: int) -> np.ndarray:
    """`and-`/`ios-`/`web-`/`oth-` + 16 hex digits of a seeded bijection of the index."""
    x = np.asarray(device_idx, dtype=np.uint64) + np.uint64(seed) * np.uint64(0x100000001B3)
    h = splitmix64(x)
    shifts = np.arange(60, -4, -4, dtype=np.uint64)
    hexm = _HEX[((h[:, None] >> shifts[None, :]) & np.uint64(15)).astype(np.int64)]
    tags = np.frombuffer(b"".join(_PLATFORM_TAG), dtype=np.uint8).reshape(len(PLATFORMS), 4)
    return assemble(len(h), tags[np.asarray(platform, dtype=np.int64)], hexm)


def ipv4_strings(ip: np.ndarray) -> pa.Array:
    v = np.asarray(ip, dtype=np.int64)
    octets = [pc.cast(pa.array((v >> s) & 255), pa.string()) for s in (24, 16, 8, 0)]
    return pc.binary_join_element_wise(*octets, ".")


def ipv4(o1: np.ndarray, o2: np.ndarray, low16: np.ndarray) -> np.ndarray:
    """IPs as uint32 from first two octets and the lower 16 bits (host .0/.255 avoided)."""
    low = np.asarray(low16, dtype=np.int64) % 65536
    last = low % 254 + 1
    return (
        (np.asarray(o1, np.int64) << 24)
        | (np.asarray(o2, np.int64) << 16)
        | ((low >> 8) << 8)
        | last
    )

"""Constants and parameters of a synthetic world: banks, operators, the time horizon and
the seeded random streams.

Every random draw comes from a stream named by a tag and integers (`rng_for`), so one
component (a day's transfers, one scheme) never shifts the draws of another: the world is
a pure function of (seed, accounts, start, days).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import numpy as np

from generator.errors import GenerateError

KZ_TZ = timezone(timedelta(hours=5))
TZ_OFFSET_S = 5 * 3600
DAY_S = 86_400
HOUR_S = 3_600
MINUTE_S = 60
DEFAULT_START = datetime(2026, 5, 1, tzinfo=KZ_TZ)
DEFAULT_DAYS = 180
MIN_ACCOUNTS = 2_000
MAX_ACCOUNTS = 5_000_000
FORMATS = ("csv", "parquet")

# (feed code, 3-character IBAN bank code at positions 5-7, share of accounts)
BANKS: tuple[tuple[str, str, float], ...] = (
    ("KASPI", "722", 0.28),
    ("HALYK", "601", 0.20),
    ("FORTE", "965", 0.06),
    ("JUSAN", "998", 0.06),
    ("BCC", "856", 0.06),
    ("BEREKE", "914", 0.05),
    ("FREEDOM", "551", 0.05),
    ("HOMECREDIT", "886", 0.04),
    ("EURASIAN", "948", 0.04),
    ("RBK", "821", 0.03),
    ("ALTYN", "704", 0.02),
    ("OTBASY", "250", 0.02),
    ("VTB", "432", 0.01),
    ("NURBANK", "849", 0.01),
    ("ATF", "826", 0.01),
    ("SHINHAN", "011", 0.005),
    ("CITI", "831", 0.005),
    ("KZI", "435", 0.005),
    ("TENGE", "888", 0.005),
    ("ZAMAN", "777", 0.005),
)
N_BANKS = len(BANKS)
BANK_CODES: tuple[str, ...] = tuple(b[0] for b in BANKS)
BANK_SHARE = np.array([b[2] for b in BANKS]) / sum(b[2] for b in BANKS)

OPERATORS: tuple[str, ...] = ("KCELL", "BEELINE", "TELE2")
# Mobile prefixes after +7; the operator of a number is that of its prefix (until a port).
PHONE_PREFIXES: tuple[tuple[str, int], ...] = (
    ("701", 0),
    ("702", 0),
    ("775", 0),
    ("778", 0),
    ("705", 1),
    ("771", 1),
    ("776", 1),
    ("777", 1),
    ("707", 2),
    ("747", 2),
    ("700", 2),
    ("708", 2),
)

SCHEME_TYPES: tuple[str, ...] = ("phone_fraud", "fake_investment", "dropper", "gambling", "drugs")
REPORTED_SCHEMES: tuple[str, ...] = (*SCHEME_TYPES, "other")

KINDS: tuple[str, ...] = ("personal", "business", "merchant")
KIND_PERSONAL, KIND_BUSINESS, KIND_MERCHANT = 0, 1, 2
CHANNELS: tuple[str, ...] = ("app", "web", "atm", "pos", "branch", "qr", "ussd")
CH_APP, CH_WEB, CH_ATM, CH_POS, CH_BRANCH, CH_QR, CH_USSD = range(7)
PLATFORMS: tuple[str, ...] = ("android", "ios", "web", "other")
PL_ANDROID, PL_IOS, PL_WEB, PL_OTHER = range(4)
SIM_EVENTS: tuple[str, ...] = ("new_sim", "swap", "port")
SIM_NEW, SIM_SWAP, SIM_PORT = range(3)

# Local hour-of-day profile of human activity (Asia/Almaty-like day).
HOUR_WEIGHTS = np.array(
    [
        0.4,
        0.2,
        0.1,
        0.1,
        0.1,
        0.2,
        0.6,
        1.5,
        3.0,
        4.5,
        5.5,
        6.0,
        6.5,
        6.5,
        6.0,
        5.8,
        5.8,
        6.2,
        6.8,
        7.0,
        6.5,
        5.0,
        3.0,
        1.2,
    ]
)


@dataclass(frozen=True)
class WorldSpec:
    accounts: int
    seed: int
    fmt: str = "csv"
    start_ts: int = int(DEFAULT_START.timestamp())
    days: int = DEFAULT_DAYS
    minimal: bool = False

    @property
    def end_ts(self) -> int:
        """Exclusive end of the horizon; every generated timestamp is earlier."""
        return self.start_ts + self.days * DAY_S

    def validate(self) -> None:
        if not MIN_ACCOUNTS <= self.accounts <= MAX_ACCOUNTS:
            raise GenerateError(f"accounts must be {MIN_ACCOUNTS}..{MAX_ACCOUNTS}")
        if self.fmt not in FORMATS:
            raise GenerateError(f"format must be one of {', '.join(FORMATS)}")
        if not 30 <= self.days <= 3650:
            raise GenerateError("days must be 30..3650")
        if self.seed < 0:
            raise GenerateError("seed must be non-negative")
        if self.start_ts < int(datetime(2000, 1, 1, tzinfo=UTC).timestamp()):
            raise GenerateError("start must be 2000-01-01 or later")


def rng_for(seed: int, tag: str, *keys: int) -> np.random.Generator:
    """An independent stream per (seed, tag, keys); crc32 because hash() is salted."""
    entropy = [int(seed), zlib.crc32(tag.encode()), *(int(k) for k in keys)]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def day_of_month(spec: WorldSpec, day: int) -> int:
    return (datetime.fromtimestamp(spec.start_ts + day * DAY_S, KZ_TZ)).day


def weekday(spec: WorldSpec, day: int) -> int:
    return (datetime.fromtimestamp(spec.start_ts + day * DAY_S, KZ_TZ)).weekday()

"""The data's own scale, measured at detect time, and the thresholds derived from it.

A deployment's amounts, time granularity and volumes are not the generator's, so the
heuristics' default thresholds are quantiles or ratios of the graph's own distributions
over the look-back window. A heuristic header declares each derived threshold::

    // @param min_amount float range 0.. -- absolute override (KZT); default: derived
    // @param min_amount_q float = 0.5 range 0..1 -- quantile of the window's amounts
    // @derive min_amount amount_q min_amount_q

The runner fills `min_amount` from the calibration unless the caller gave it. Functions:

- ``amount_q Q``: the quantile Q of transfer amounts;
- ``gaps R``: R times the typical gap between an account's transfers (the median over
  active accounts of each account's mean gap), at least one grain of the timestamps (a day
  for day-stamped data) and rounded up to whole grains;
- ``senders_q Q`` / ``receivers_q Q``: the quantile Q of distinct counterparties per
  active account (at least 1);
- ``transfers_q Q``: the quantile Q of transfers per active account (at least 1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from neo4j import Driver, RoutingControl
from neo4j.exceptions import Neo4jError

from cypher import statement
from cypher.errors import CatalogError, QueryFailedError

# 0, 0.01, ..., 0.99, then the tail finer, where hub caps and rare amounts live.
GRID: tuple[float, ...] = (*tuple(round(i / 100, 2) for i in range(100)), 0.995, 0.999, 1.0)
GRAINS = ((86_400, "days"), (3_600, "hours"), (60, "minutes"))
GRAIN_SHARE = 0.99  # a grain holds when this share of timestamps are whole units of it
FUNCTIONS = ("amount_q", "gaps", "senders_q", "receivers_q", "transfers_q")


@dataclass(frozen=True)
class Derive:
    """`// @derive TARGET FUNCTION SOURCE`: TARGET is derived from parameter SOURCE."""

    target: str
    function: str
    source: str


def parse_derive(line: str, where: str = "header") -> Derive:
    parts = line.split()
    if len(parts) != 3:
        raise CatalogError(f"{where}: @derive needs TARGET FUNCTION SOURCE, got {line!r}")
    target, function, source = parts
    if function not in FUNCTIONS:
        raise CatalogError(f"{where}: @derive {target}: unknown function {function!r} "
                           f"(known: {', '.join(FUNCTIONS)})")
    return Derive(target, function, source)


@dataclass
class Calibration:
    """Distributions of the window's transfers; quantile lists follow GRID."""

    as_of: int
    window_s: int
    transfers: int = 0
    accounts: int = 0
    first_ts: int | None = None
    last_ts: int | None = None
    grain_s: int = 1
    amount_q: list[float] = field(default_factory=list)
    transfers_q: list[float] = field(default_factory=list)
    senders_q: list[float] = field(default_factory=list)
    receivers_q: list[float] = field(default_factory=list)
    gap_q: list[float] = field(default_factory=list)

    @property
    def typical_gap_s(self) -> float:
        """The median account's mean gap between transfers (a grain if none is known)."""
        g = quantile(self.gap_q, 0.5)
        return float(self.grain_s) if g is None or g <= 0 else g

    def summary(self) -> dict[str, Any]:
        """The few numbers a reader checks first, for the report and the run's node."""
        return {
            "transfers": self.transfers, "accounts": self.accounts,
            "first_ts": self.first_ts, "last_ts": self.last_ts, "grain_s": self.grain_s,
            "typical_gap_s": round(self.typical_gap_s, 1),
            "amount": {f"q{int(q * 100)}": quantile(self.amount_q, q)
                       for q in (0.1, 0.5, 0.9, 0.99)},
            "senders": {f"q{int(q * 100)}": quantile(self.senders_q, q) for q in (0.5, 0.9, 0.99)},
            "receivers": {f"q{int(q * 100)}": quantile(self.receivers_q, q)
                          for q in (0.5, 0.9, 0.99)},
            "transfers_per_account": {f"q{int(q * 100)}": quantile(self.transfers_q, q)
                                      for q in (0.5, 0.9, 0.99)},
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def quantile(values: Sequence[float | None], q: float) -> float | None:
    """Linear interpolation on GRID between the measured quantiles; None when no data."""
    if not values or len(values) != len(GRID) or values[0] is None:
        return None
    q = min(1.0, max(0.0, q))
    for i in range(1, len(GRID)):
        if q <= GRID[i]:
            lo, hi = values[i - 1], values[i]
            if lo is None or hi is None:
                return None
            w = (q - GRID[i - 1]) / (GRID[i] - GRID[i - 1])
            return float(lo) + w * (float(hi) - float(lo))
    last = values[-1]
    return None if last is None else float(last)


def grain_of(n: int, whole: Mapping[str, int]) -> int:
    """The largest of day, hour, minute that nearly every timestamp is a whole unit of."""
    if n <= 0:
        return 1
    for seconds, key in GRAINS:
        if whole.get(key, 0) >= GRAIN_SHARE * n:
            return seconds
    return 1


def derive_value(d: Derive, given: Any, cal: Calibration) -> float | int | None:
    """The threshold for `d` from the calibration; None when the window has no data."""
    x = float(given)
    if d.function == "amount_q":
        return quantile(cal.amount_q, x)
    if d.function == "gaps":
        grain = max(1, cal.grain_s)
        return int(max(1, math.ceil(x * cal.typical_gap_s / grain)) * grain)
    values = {"senders_q": cal.senders_q, "receivers_q": cal.receivers_q,
              "transfers_q": cal.transfers_q}[d.function]
    v = quantile(values, x)
    return None if v is None else max(1, math.ceil(v))


def _read(driver: Driver, database: str, name: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        recs, _, _ = driver.execute_query(statement(f"calibration/{name}"), params,
                                          database_=database, routing_=RoutingControl.READ)
    except Neo4jError as e:
        raise QueryFailedError(f"calibration {name}: {e.code}: {e.message}") from e
    return recs[0].data() if recs else {}


def calibrate(driver: Driver, database: str, *, as_of: int, window_s: int) -> Calibration:
    """Measure the window's distributions (two read-only aggregations)."""
    params = {"as_of": as_of, "window_s": window_s, "qs": list(GRID)}
    tr = _read(driver, database, "transfers", params)
    ac = _read(driver, database, "accounts", params)
    n = int(tr.get("n") or 0)
    return Calibration(
        as_of=as_of, window_s=window_s, transfers=n, accounts=int(ac.get("accounts") or 0),
        first_ts=tr.get("first_ts"), last_ts=tr.get("last_ts"),
        grain_s=grain_of(n, {k: int(tr.get(k) or 0) for _, k in GRAINS}),
        amount_q=list(tr.get("amount_q") or []) if n else [],
        transfers_q=list(ac.get("transfers_q") or []) if n else [],
        senders_q=list(ac.get("senders_q") or []) if n else [],
        receivers_q=list(ac.get("receivers_q") or []) if n else [],
        gap_q=list(ac.get("gap_q") or []) if ac.get("with_gap") else [])

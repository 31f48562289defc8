"""The world's profile: the few dials that make one seed's world unlike another's, so that
nothing downstream can be tuned to one set of generator constants.

A deployment's data differ from ours in ways a detector must survive: the currency and
the size of its payments (amount scale, and how large the fraud flows are beside the
legitimate ones), how finely its batch exports stamp time (to the second, or rounded to
the minute, hour or day), how busy its customers are, and how large and how many its
rings are. Each seed draws its own profile from its own stream (`rng_for(seed,
"profile")`), so the rest of the world's draws are untouched by it; the profile is
recorded in truth/manifest.json.

A share of the schemes is unreported: no victim of theirs files an incident, so no
incident or list entry names any of their members and they exist only in the hidden
truth (empty `known_at`) - the new rings the AFC has not seen yet.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from generator.config import DAY_S, HOUR_S, MINUTE_S, TZ_OFFSET_S, rng_for
from generator.errors import GenerateError

GRANULARITIES: dict[str, int] = {"second": 1, "minute": MINUTE_S, "hour": HOUR_S, "day": DAY_S}
_GRANULARITY_P = (0.4, 0.25, 0.15, 0.2)
# The feed contract: 0 < amount <= 1e11 KZT, in tiyn (1/100 KZT).
MAX_CENTS = 100_000_000_000 * 100
# Log10 ranges of the multiplicative dials (uniform in the log: orders of magnitude).
_LOG10_RANGE: dict[str, tuple[float, float]] = {
    "amount_scale": (-2.0, 2.0),
    "fraud_amount_ratio": (-0.5, 0.5),
    "activity": (-0.3, 0.2),  # busier worlds cost generation time: at most ~1.6x
    "ring_scale": (-0.35, 0.35),
    "ring_density": (-0.25, 0.25),
    "scheme_rate": (-0.2, 0.2),
}
_UNREPORTED_RANGE = (0.1, 0.4)


@dataclass(frozen=True)
class WorldProfile:
    """amount_scale: multiplier of every legitimate amount (1 = typical KZT amounts);
    fraud_amount_ratio: fraud amounts' multiplier relative to amount_scale;
    granularity: how the bank's exports stamp transfers and account openings;
    activity: multiplier of legitimate transfers (and sessions) per account;
    ring_scale: multiplier of a scheme's victims (its size);
    ring_density: multiplier of a scheme's accounts per victim;
    scheme_rate: multiplier of schemes per 100k accounts;
    unreported_share: share of schemes that no incident or list entry touches."""

    amount_scale: float = 1.0
    fraud_amount_ratio: float = 1.0
    granularity: str = "second"
    activity: float = 1.0
    ring_scale: float = 1.0
    ring_density: float = 1.0
    scheme_rate: float = 1.0
    unreported_share: float = 0.0

    @property
    def granularity_s(self) -> int:
        return GRANULARITIES[self.granularity]

    def validate(self) -> None:
        if self.granularity not in GRANULARITIES:
            raise GenerateError(f"granularity must be one of {', '.join(GRANULARITIES)}")
        for name in ("amount_scale", "fraud_amount_ratio"):
            if not 1e-3 <= getattr(self, name) <= 1e3:
                raise GenerateError(f"{name} must be 0.001..1000")
        for name in ("activity", "ring_scale", "ring_density", "scheme_rate"):
            if not 0.1 <= getattr(self, name) <= 5.0:
                raise GenerateError(f"{name} must be 0.1..5")
        if not 0.0 <= self.unreported_share <= 0.9:
            raise GenerateError("unreported_share must be 0..0.9")

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> WorldProfile:
        if not overrides:
            return self
        known = {f.name for f in dataclasses.fields(self)}
        bad = sorted(set(overrides) - known)
        if bad:
            raise GenerateError(f"unknown profile setting(s): {', '.join(bad)}")
        out = dataclasses.replace(self, **dict(overrides))
        out.validate()
        return out

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    # --- applied to the world's arrays ----------------------------------------------------
    def scale_cents(self, cents: np.ndarray, fraud: np.ndarray | bool) -> np.ndarray:
        """Amounts in this world's scale, to the tiyn, within the feed contract."""
        f = np.where(fraud, self.amount_scale * self.fraud_amount_ratio, self.amount_scale)
        if np.all(f == 1.0):
            return np.asarray(cents, dtype=np.int64)
        out = np.round(np.asarray(cents, dtype=np.float64) * f)
        return np.clip(out, 1, MAX_CENTS).astype(np.int64)

    def stamp(self, ts: np.ndarray) -> np.ndarray:
        """Instants as the export writes them: floored to the granularity in local time
        (a day-granular export stamps local midnight). Flooring keeps order and never
        moves an instant later, so 'opened before used' and 'before the end' still hold."""
        g = self.granularity_s
        ts = np.asarray(ts, dtype=np.int64)
        if g == 1:
            return ts
        return (ts + TZ_OFFSET_S) // g * g - TZ_OFFSET_S


BASE_PROFILE = WorldProfile()


def draw_profile(seed: int) -> WorldProfile:
    """The seed's own profile; a pure function of the seed."""
    rng = rng_for(seed, "profile")
    dials = {k: float(10 ** rng.uniform(lo, hi)) for k, (lo, hi) in _LOG10_RANGE.items()}
    # four significant digits: readable in the manifest, exact when passed back as overrides
    dials = {k: float(f"{v:.4g}") for k, v in dials.items()}
    gran = list(GRANULARITIES)[int(rng.choice(len(GRANULARITIES), p=_GRANULARITY_P))]
    share = round(float(rng.uniform(*_UNREPORTED_RANGE)), 3)
    profile = WorldProfile(granularity=gran, unreported_share=share, **dials)
    profile.validate()
    return profile


def unreported_schemes(seed: int, n_schemes: int, share: float) -> np.ndarray:
    """Which schemes no report will touch: about `share` of them, at least one when the
    share is positive and at least one scheme stays reported."""
    hidden = np.zeros(n_schemes, dtype=bool)
    if share <= 0 or n_schemes < 2:
        return hidden
    rng = rng_for(seed, "unreported")
    k = min(max(1, math.floor(share * n_schemes + rng.random())), n_schemes - 1)
    hidden[rng.choice(n_schemes, k, replace=False)] = True
    return hidden

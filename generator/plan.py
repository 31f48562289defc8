"""Scheme sizing: how many schemes of each type, when they run, how many victims and how
many accounts of each role they need. Sizing comes before the population is built, so the
world holds exactly the requested number of accounts (legitimate ones fill the rest)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from generator.config import DAY_S, SCHEME_TYPES, WorldSpec, rng_for
from generator.profile import WorldProfile, unreported_schemes

# Schemes per 100k accounts, and the typical victims (payers for gambling/drugs) of one.
SCHEMES_PER_100K = {
    "phone_fraud": 6.0,
    "fake_investment": 3.0,
    "dropper": 4.0,
    "gambling": 2.0,
    "drugs": 2.0,
}
MEAN_VICTIMS = {
    "phone_fraud": 200,
    "fake_investment": 250,
    "dropper": 150,
    "gambling": 400,
    "drugs": 350,
}
MIN_VICTIMS = {"phone_fraud": 15, "fake_investment": 12, "dropper": 12, "gambling": 25, "drugs": 20}
# Roles of the scheme's accounts, in the order their blocks are laid out.
ROLES = {
    "phone_fraud": ("mule", "layer"),
    "fake_investment": ("collector", "hub", "layer"),
    "dropper": ("mule", "layer", "cashout"),
    "gambling": ("collector", "hub"),
    "drugs": ("collector", "hub", "layer"),
}
# Share of each role served by recruited existing accounts of otherwise ordinary people.
RECRUITED = {"mule": 0.25, "collector": 0.2, "layer": 0.1, "hub": 0.0, "cashout": 0.0}
DROPPER_ACCOUNTS = {  # accounts one dropper opens (min, max), spread over distinct banks
    "phone_fraud": (1, 4),
    "fake_investment": (1, 3),
    "dropper": (3, 8),
    "gambling": (1, 4),
    "drugs": (1, 4),
}


@dataclass
class SchemePlan:
    idx: int
    type: str
    start: int
    end: int
    growth: float  # per day
    victims: int
    roles: dict[str, int]
    recruited: dict[str, int]
    dropper_sizes: np.ndarray
    callers: int
    op_devices: int
    mule_devices: int
    reported: bool = True  # False: no incident or list entry will touch its members
    acc0: int = 0  # first index of the scheme's new accounts
    person0: int = 0  # first index of its dropper persons
    phone0: int = 0  # first index of its caller phones
    device0: int = 0  # first index of its own devices (operator devices, then mule devices)

    @property
    def scheme_id(self) -> str:
        return f"SCH{self.idx + 1:04d}"

    @property
    def n_new(self) -> int:
        return int(sum(self.roles.values()) - sum(self.recruited.values()))

    @property
    def n_devices(self) -> int:
        return self.op_devices + self.mule_devices


def _role_counts(
    kind: str, victims: int, rng: np.random.Generator, density: float
) -> dict[str, int]:
    v = victims * density  # accounts per victim scale with the profile's ring density
    if kind == "phone_fraud":
        mule = max(3, math.ceil(v / rng.uniform(2.0, 3.0)))
        return {"mule": mule, "layer": max(2, math.ceil(mule / rng.uniform(2.0, 3.5)))}
    if kind == "fake_investment":
        col = max(2, math.ceil(v / rng.uniform(15, 30)))
        hub = 1 + int(victims > 150)
        return {"collector": col, "hub": hub, "layer": max(2, math.ceil(col / 2))}
    if kind == "dropper":
        mule = max(3, math.ceil(v / rng.uniform(1.5, 2.5)))
        layer = max(2, math.ceil(mule / 2))
        return {"mule": mule, "layer": layer, "cashout": max(2, math.ceil(layer / 2))}
    col = max(4, math.ceil(v / rng.uniform(3.0, 5.0)))
    if kind == "gambling":
        return {"collector": col, "hub": 2 + victims // 300}
    return {"collector": col, "hub": 1 + victims // 400, "layer": 3}


def _dropper_sizes(kind: str, n_new: int, rng: np.random.Generator) -> np.ndarray:
    lo, hi = DROPPER_ACCOUNTS[kind]
    sizes: list[int] = []
    left = n_new
    while left > 0:
        k = min(int(rng.integers(lo, hi + 1)), left)
        sizes.append(k)
        left -= k
    return np.array(sizes, dtype=np.int64)


def plan_schemes(spec: WorldSpec, profile: WorldProfile) -> list[SchemePlan]:
    rng = rng_for(spec.seed, "plan")
    scale_n = spec.accounts / 100_000
    horizon_days = spec.days
    plans: list[SchemePlan] = []
    for kind in SCHEME_TYPES:
        expected = SCHEMES_PER_100K[kind] * scale_n * profile.scheme_rate
        count = max(1, round(expected * rng.uniform(0.85, 1.15)))
        size_scale = min(1.0, expected / count)
        for _ in range(count):
            start_day = rng.uniform(0, max(horizon_days - 21, 1))
            duration = rng.uniform(25, 160)
            start = spec.start_ts + int(start_day * DAY_S)
            end = min(start + int(duration * DAY_S), spec.end_ts)
            live = (end - start) / DAY_S
            v = MEAN_VICTIMS[kind] * profile.ring_scale * size_scale * rng.lognormal(0.0, 0.45)
            v *= float(np.clip(live / 90, 0.3, 1.5))
            victims = max(MIN_VICTIMS[kind], round(v))
            roles = _role_counts(kind, victims, rng, profile.ring_density)
            recruited = {r: int(rng.binomial(c, RECRUITED[r])) for r, c in roles.items()}
            n_acc = sum(roles.values())
            n_new = n_acc - sum(recruited.values())
            plans.append(
                SchemePlan(
                    idx=len(plans),
                    type=kind,
                    start=start,
                    end=end,
                    growth=float(rng.uniform(0.01, 0.045)),
                    victims=victims,
                    roles=roles,
                    recruited=recruited,
                    dropper_sizes=_dropper_sizes(kind, n_new, rng),
                    callers=max(2, math.ceil(victims / 40)) if kind == "phone_fraud" else 0,
                    op_devices=max(1, math.ceil(n_acc / 8)),
                    mule_devices=round(0.2 * n_acc),
                )
            )
    hidden = unreported_schemes(spec.seed, len(plans), profile.unreported_share)
    for plan, h in zip(plans, hidden, strict=True):
        plan.reported = not bool(h)
    return plans


@dataclass(frozen=True)
class Reservation:
    """Index blocks the population keeps for the schemes (after the legitimate entities)."""

    accounts: int
    persons: int
    phones: int
    devices: int


def reserve_accounts(plans: list[SchemePlan], acc0: int, person0: int) -> None:
    """Lay the schemes' new accounts and droppers out after the legitimate ones."""
    for plan in plans:
        plan.acc0, plan.person0 = acc0, person0
        acc0 += plan.n_new
        person0 += len(plan.dropper_sizes)


def reserve_telecom(plans: list[SchemePlan], phone0: int, dev0: int) -> None:
    for plan in plans:
        plan.phone0, plan.device0 = phone0, dev0
        phone0 += plan.callers
        dev0 += plan.n_devices


def fraud_totals(plans: list[SchemePlan]) -> Reservation:
    return Reservation(
        accounts=sum(p.n_new for p in plans),
        persons=sum(len(p.dropper_sizes) for p in plans),
        phones=sum(p.callers for p in plans),
        devices=sum(p.n_devices for p in plans),
    )

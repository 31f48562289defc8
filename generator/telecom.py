"""Devices, phone numbers, IP addresses and SIM events of the population.

Devices: one primary device per person (members of some households share the head's
device, as families do), web devices for some, a new phone for some during the
horizon, one web device per business, then the schemes' block. Phones: one number per
person, then the schemes' caller numbers. First-seen times are set after the schemes
have placed their accounts (`finalise`), so no login precedes its device.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator import identifiers as ids
from generator.config import (
    DAY_S,
    HOUR_S,
    OPERATORS,
    PL_ANDROID,
    PL_IOS,
    PL_OTHER,
    PL_WEB,
    SIM_NEW,
    SIM_PORT,
    SIM_SWAP,
    WorldSpec,
    rng_for,
)
from generator.plan import SchemePlan, fraud_totals, reserve_telecom
from generator.population import NO_TIME, Population

# First two octets of home broadband ranges and of each operator's mobile (CGNAT) pool.
HOME_NETS = np.array(
    [
        (2, 132),
        (5, 76),
        (37, 150),
        (37, 99),
        (46, 34),
        (78, 40),
        (82, 200),
        (89, 218),
        (92, 46),
        (95, 56),
        (176, 64),
        (178, 88),
        (185, 48),
        (188, 0),
        (212, 154),
        (217, 196),
    ]
)
MOBILE_NETS = np.array([(2, 72), (95, 59), (37, 151)])  # KCELL, BEELINE, TELE2
PROXY_NETS = np.array([(45, 135), (91, 243), (185, 220), (193, 42), (194, 61), (5, 188)])


@dataclass
class SimEvents:
    phone: list[np.ndarray]
    event: list[np.ndarray]
    at: list[np.ndarray]
    operator: list[np.ndarray]
    holder: list[np.ndarray]

    @classmethod
    def empty(cls) -> SimEvents:
        return cls([], [], [], [], [])

    def add(
        self,
        phone: np.ndarray,
        event: int | np.ndarray,
        at: np.ndarray,
        operator: np.ndarray,
        holder: np.ndarray,
    ) -> None:
        n = len(phone)
        self.phone.append(np.asarray(phone, dtype=np.int64))
        self.event.append(np.broadcast_to(np.asarray(event, dtype=np.int8), (n,)).copy())
        self.at.append(np.asarray(at, dtype=np.int64))
        self.operator.append(np.asarray(operator, dtype=np.int8))
        self.holder.append(np.asarray(holder, dtype=np.int64))


@dataclass
class Telecom:
    dev_platform: np.ndarray
    dev_first_seen: np.ndarray
    dev_used: np.ndarray
    dev_primary: np.ndarray  # per person
    dev_web: np.ndarray  # per person, -1 none
    dev_new: np.ndarray  # per person, -1 none: replaces the primary from dev_new_at
    dev_new_at: np.ndarray
    bus_device: np.ndarray  # per business
    fraud_dev0: int
    phone_holder: np.ndarray
    phone_new_at: np.ndarray
    phone_op: np.ndarray  # operator when the number was issued
    n_legit_phones: int
    home_ip: np.ndarray  # per household
    mobile_pool: int
    sims: SimEvents

    @property
    def n_devices(self) -> int:
        return len(self.dev_platform)

    @property
    def n_phones(self) -> int:
        return len(self.phone_holder)


def build_telecom(spec: WorldSpec, pop: Population, plans: list[SchemePlan]) -> Telecom:
    rng = rng_for(spec.seed, "telecom")
    p = pop.n_persons
    fraud = fraud_totals(plans)
    web_of = rng.random(p) < 0.22
    new_of = rng.random(p) < 0.06
    web_of[pop.n_legit_persons :] = new_of[pop.n_legit_persons :] = False
    n_web, n_new = int(web_of.sum()), int(new_of.sum())
    web0 = p
    new0 = web0 + n_web
    bus0 = new0 + n_new
    fraud_dev0 = bus0 + pop.n_business
    n_dev = fraud_dev0 + fraud.devices
    reserve_telecom(plans, p, fraud_dev0)
    platform = np.full(n_dev, PL_WEB, dtype=np.int8)
    platform[:p] = rng.choice([PL_ANDROID, PL_IOS, PL_OTHER], p, p=[0.62, 0.35, 0.03])
    platform[new0:bus0] = rng.choice([PL_ANDROID, PL_IOS], n_new, p=[0.6, 0.4])
    dev_web = np.full(p, -1, dtype=np.int64)
    dev_web[web_of] = web0 + np.arange(n_web)
    dev_new = np.full(p, -1, dtype=np.int64)
    dev_new[new_of] = new0 + np.arange(n_new)
    dev_new_at = np.full(p, NO_TIME, dtype=np.int64)
    dev_new_at[new_of] = spec.start_ts + rng.integers(DAY_S, (spec.days - 1) * DAY_S, n_new)

    # families: in some households everyone banks on the head's phone
    hh = pop.household
    head = np.r_[0, np.flatnonzero(hh[1:] != hh[:-1]) + 1]
    head_of = head[np.searchsorted(head, np.arange(p), side="right") - 1]
    shared_hh = rng.random(int(hh[-1]) + 1) < 0.2
    share = shared_hh[hh] & (head_of != np.arange(p))
    share[pop.n_legit_persons :] = False
    dev_primary = np.where(share, head_of, np.arange(p)).astype(np.int64)
    used = np.ones(n_dev, dtype=bool)
    used[:p] = ~share

    # bookkeeping firms run the online banking of many small businesses from one machine
    firms = rng.choice(pop.n_business, max(2, pop.n_business // 40), replace=False)
    outsourced = rng.random(pop.n_business) < 0.3
    bus_device = bus0 + np.arange(pop.n_business, dtype=np.int64)
    bus_device[outsourced] = bus_device[firms[rng.integers(0, len(firms), int(outsourced.sum()))]]
    used[bus0 : bus0 + pop.n_business] = np.isin(np.arange(bus0, bus0 + pop.n_business), bus_device)

    n_phones = p + fraud.phones
    phone_prefix, _ = ids.phone_slots(np.arange(n_phones), spec.seed)
    n_home = int(hh[-1]) + 1
    nets = HOME_NETS[rng.integers(0, len(HOME_NETS), n_home)]
    tel = Telecom(
        dev_platform=platform,
        dev_first_seen=np.zeros(n_dev, dtype=np.int64),
        dev_used=used,
        dev_primary=dev_primary,
        dev_web=dev_web,
        dev_new=dev_new,
        dev_new_at=dev_new_at,
        bus_device=bus_device,
        fraud_dev0=fraud_dev0,
        phone_holder=np.r_[np.arange(p), np.zeros(fraud.phones, dtype=np.int64)],
        phone_new_at=np.zeros(n_phones, dtype=np.int64),
        phone_op=ids.PREFIX_OPERATOR[phone_prefix].astype(np.int8),
        n_legit_phones=p,
        home_ip=ids.ipv4(nets[:, 0], nets[:, 1], rng.integers(0, 65536, n_home)),
        mobile_pool=max(64, p // 300),
        sims=SimEvents.empty(),
    )
    return tel


def person_first_opened(pop: Population) -> np.ndarray:
    """Earliest opening among each person's accounts."""
    first = np.full(pop.n_persons, NO_TIME, dtype=np.int64)
    personal = pop.acc_holder < pop.n_persons
    np.minimum.at(first, pop.acc_holder[personal], pop.acc_opened[personal])
    return first


def settle_devices(spec: WorldSpec, pop: Population, tel: Telecom) -> None:
    """Before the schemes run: who banks on which device depends on when each legitimate
    person became a customer (a newcomer uses his own phone, not yet a web device)."""
    p = pop.n_persons
    first = person_first_opened(pop)
    newcomer = first >= spec.start_ts
    newcomer[pop.n_legit_persons :] = False
    tel.dev_primary[newcomer] = np.flatnonzero(newcomer)
    head_new = newcomer[tel.dev_primary]  # nobody borrows a device first seen in the horizon
    tel.dev_primary[head_new] = np.flatnonzero(head_new)
    tel.dev_used[:p] = False
    tel.dev_used[np.unique(tel.dev_primary)] = True
    web = tel.dev_web >= 0
    tel.dev_used[tel.dev_web[web & newcomer]] = False
    tel.dev_web[newcomer] = -1
    has_new = tel.dev_new >= 0
    tel.dev_new_at = np.where(has_new, np.maximum(tel.dev_new_at, first + DAY_S), NO_TIME)
    late = has_new & (tel.dev_new_at >= spec.end_ts)
    tel.dev_used[tel.dev_new[late]] = False
    tel.dev_new[late] = -1
    tel.dev_new_at[late] = NO_TIME


def finalise(spec: WorldSpec, pop: Population, tel: Telecom) -> None:
    """After the schemes: first-seen times and the SIM events, now that every account
    (the droppers' too) has its opening date."""
    rng = rng_for(spec.seed, "telecom-final")
    p = pop.n_persons
    first = person_first_opened(pop)
    newcomer = first >= spec.start_ts
    old_seen = spec.start_ts - rng.integers(DAY_S, 3 * 365 * DAY_S, p)
    fresh_seen = first - rng.integers(0, 2 * HOUR_S, p)
    tel.dev_first_seen[:p] = np.where(newcomer, fresh_seen, old_seen)
    ok_web = tel.dev_web >= 0
    tel.dev_first_seen[tel.dev_web[ok_web]] = spec.start_ts - rng.integers(
        DAY_S, 2 * 365 * DAY_S, int(ok_web.sum())
    )
    has_new = tel.dev_new >= 0
    tel.dev_first_seen[tel.dev_new[has_new]] = tel.dev_new_at[has_new]
    bus = np.unique(tel.bus_device)
    tel.dev_first_seen[bus] = spec.start_ts - rng.integers(DAY_S, 3 * 365 * DAY_S, len(bus))

    # phones: long-held numbers; droppers buy a fresh SIM shortly before opening accounts
    legit = np.arange(pop.n_legit_persons)
    tel.phone_new_at[:p] = spec.start_ts - rng.integers(30 * DAY_S, 10 * 365 * DAY_S, p)
    dropper = np.arange(pop.n_legit_persons, p)
    tel.phone_new_at[dropper] = first[dropper] - rng.integers(HOUR_S, 5 * DAY_S, len(dropper))
    newcomer_p = legit[newcomer[legit]]
    tel.phone_new_at[newcomer_p] = np.minimum(tel.phone_new_at[newcomer_p], first[newcomer_p])
    phones = np.arange(p)
    tel.sims.add(phones, SIM_NEW, tel.phone_new_at[:p], tel.phone_op[:p], phones)
    # legitimate swaps (lost phone) and ports (operator change), the noise of SIM signals
    swap = legit[rng.random(len(legit)) < 0.03]
    port = legit[rng.random(len(legit)) < 0.015]
    swap_at = spec.start_ts + rng.integers(0, (spec.days - 1) * DAY_S, len(swap))
    port_at = spec.start_ts + rng.integers(0, (spec.days - 1) * DAY_S, len(port))
    new_op = (tel.phone_op[port] + rng.integers(1, len(OPERATORS), len(port))) % len(OPERATORS)
    tel.sims.add(port, SIM_PORT, port_at, new_op.astype(np.int8), port)
    op_at_swap = tel.phone_op[swap].copy()
    port_time = np.full(p, NO_TIME, dtype=np.int64)
    port_time[port] = port_at
    port_op = tel.phone_op[:p].copy()
    port_op[port] = new_op
    after = port_time[swap] < swap_at
    op_at_swap[after] = port_op[swap][after]
    tel.sims.add(swap, SIM_SWAP, swap_at, op_at_swap, swap)


def mobile_ip(tel: Telecom, persons: np.ndarray, day: int) -> np.ndarray:
    """A carrier-grade NAT address: many unrelated subscribers share each one."""
    op = tel.phone_op[np.asarray(persons, dtype=np.int64)].astype(np.int64)
    key = np.asarray(persons, dtype=np.uint64) * np.uint64(1_000_003) + np.uint64(day)
    slot = (ids.splitmix64(key) % np.uint64(tel.mobile_pool)).astype(np.int64)
    nets = MOBILE_NETS[op]
    return ids.ipv4(nets[:, 0], nets[:, 1], slot * 97 % 65536)


def proxy_ips(rng: np.random.Generator, n: int) -> np.ndarray:
    nets = PROXY_NETS[rng.integers(0, len(PROXY_NETS), n)]
    return ids.ipv4(nets[:, 0], nets[:, 1], rng.integers(0, 65536, n))

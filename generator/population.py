"""The legitimate population: people in households, businesses, and their accounts, as
compact numpy arrays (a 2M-account world is a few hundred MB, never Python objects).

Index spaces: persons [0, P) are the legitimate people then the schemes' droppers;
holders are persons followed by businesses [P, P + B); accounts are the legitimate
personal ones, then one per business, then the schemes' new accounts (reserved here,
filled in by the schemes). Bank cash accounts (one per bank) are the counterparty of
every ATM withdrawal, because a transfer must name a known `to_iban`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from generator import identifiers as ids
from generator.config import (
    BANK_SHARE,
    DAY_S,
    KIND_BUSINESS,
    KIND_MERCHANT,
    KIND_PERSONAL,
    N_BANKS,
    WorldSpec,
    rng_for,
)
from generator.errors import GenerateError
from generator.plan import SchemePlan, fraud_totals, reserve_accounts
from generator.sampling import zipf_weights

BUS_EMPLOYER, BUS_MERCHANT, BUS_UTILITY, BUS_PENSION, BUS_CASH = range(5)
N_UTILITIES = 8
NO_TIME = np.iinfo(np.int64).max
ACCOUNTS_PER_PERSON = np.array([0.55, 0.27, 0.11, 0.05, 0.02])  # 1..5 accounts


@dataclass
class Population:
    n_persons: int
    n_legit_persons: int
    n_business: int
    n_accounts: int
    n_legit_personal: int  # personal accounts [0, n_legit_personal)
    fraud_acc0: int  # schemes' new accounts [fraud_acc0, n_accounts)
    # persons
    birth_day: np.ndarray
    household: np.ndarray
    acc_start: np.ndarray
    n_acc: np.ndarray
    act: np.ndarray
    employer: np.ndarray  # business index or -1
    salary: np.ndarray  # KZT per month
    pensioner: np.ndarray
    landlord: np.ndarray  # person or -1
    rent_day: np.ndarray
    rent: np.ndarray
    social: np.ndarray  # position in the social ring; friends are ring neighbours
    social_inv: np.ndarray
    sellers: np.ndarray  # informal sellers (persons), popularity in seller_w
    seller_w: np.ndarray
    couriers: np.ndarray
    # holders = persons then businesses
    holder_id: np.ndarray  # S12 IIN / BIN
    # businesses
    bus_kind: np.ndarray
    bus_account: np.ndarray
    bus_owner: np.ndarray  # person for merchants, else -1
    bus_payday: np.ndarray
    bus_advance: np.ndarray
    merchant_w: np.ndarray  # popularity of merchants, aligned with merchants
    merchants: np.ndarray  # business indices
    merchant_ticket: np.ndarray
    employers: np.ndarray
    employer_w: np.ndarray
    utilities: np.ndarray  # account indices
    pension_account: int
    cash_account: np.ndarray  # per bank
    # accounts
    acc_holder: np.ndarray
    acc_bank: np.ndarray
    acc_kind: np.ndarray
    acc_opened: np.ndarray
    acc_act: np.ndarray
    # fundraising campaigns: (person, start, days, payments)
    campaigns: np.ndarray

    def holder_person(self, acc: np.ndarray) -> np.ndarray:
        """Holder person of each account, -1 for businesses."""
        h = self.acc_holder[acc]
        return np.where(h < self.n_persons, h, -1)

    def person_account(
        self, rng: np.random.Generator, persons: np.ndarray, primary_p: float
    ) -> np.ndarray:
        """An account of each person: the first (main) one with probability primary_p."""
        n = self.n_acc[persons].astype(np.int64)
        off = np.where(
            rng.random(len(persons)) < primary_p, 0, rng.integers(0, 1 << 30, len(persons)) % n
        )
        return self.acc_start[persons].astype(np.int64) + off

    def friend(self, rng: np.random.Generator, persons: np.ndarray) -> np.ndarray:
        """A friend or relative: a near neighbour in the household order (family) or in
        the social ring (friends); a few close ties take most of the traffic."""
        n = len(persons)
        fam = rng.random(n) < 0.3
        hop = rng.choice(np.array([1, -1, 2, -2, 3, 5, -7, 11, -13, 17]), n)
        hop = np.where(rng.random(n) < 0.5, hop, np.sign(hop) * rng.integers(1, 40, n))
        fam_p = np.clip(persons + np.where(hop > 0, 1, -1), 0, self.n_persons - 1)
        same_house = self.household[fam_p] == self.household[persons]
        ring = self.social_inv[(self.social[persons] + hop) % self.n_persons]
        out = np.where(fam & same_house, fam_p, ring)
        return np.where(
            out == persons, self.social_inv[(self.social[persons] + 1) % self.n_persons], out
        )


def _ages_to_birth(spec: WorldSpec, age_years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    start_day = spec.start_ts // DAY_S
    return (start_day - age_years * 365.25 - rng.integers(0, 365, len(age_years))).astype(np.int64)


def distinct_banks(rng: np.random.Generator, n_acc: np.ndarray) -> np.ndarray:
    """Banks for each person's accounts, distinct within a person (Gumbel top-k)."""
    k_max = int(n_acc.max()) if n_acc.size else 1
    out: list[np.ndarray] = []
    for lo in range(0, len(n_acc), 100_000):  # chunks bound the (persons x banks) matrix
        part = n_acc[lo : lo + 100_000]
        keys = np.log(BANK_SHARE)[None, :] + rng.gumbel(size=(len(part), N_BANKS))
        top = np.argsort(-keys, axis=1)[:, :k_max]
        out.append(top[np.arange(k_max)[None, :] < part[:, None]].astype(np.int8))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int8)


def build_population(spec: WorldSpec, plans: list[SchemePlan]) -> Population:
    rng = rng_for(spec.seed, "population")
    n = spec.accounts
    fraud = fraud_totals(plans)
    n_emp = max(10, round(0.005 * n))
    n_mer = max(30, round(0.015 * n))
    n_bus = n_emp + n_mer + N_UTILITIES + 1 + N_BANKS
    n_personal = n - fraud.accounts - n_bus
    if n_personal < n // 2:
        raise GenerateError("too few accounts for the planned schemes")

    # persons and their number of accounts, until the personal accounts are used up
    est = math.ceil(n_personal / 1.7 * 1.2) + 10
    k = (rng.choice(5, est, p=ACCOUNTS_PER_PERSON) + 1).astype(np.int64)
    cum = np.cumsum(k)
    p_legit = int(np.searchsorted(cum, n_personal) + 1)
    k = k[:p_legit]
    k[-1] -= int(cum[p_legit - 1] - n_personal)
    n_persons = p_legit + fraud.persons
    acc_start = np.zeros(n_persons, dtype=np.int64)
    acc_start[1:p_legit] = np.cumsum(k)[:-1]
    n_acc = np.zeros(n_persons, dtype=np.int64)
    n_acc[:p_legit] = k
    fraud_acc0 = n_personal + n_bus
    reserve_accounts(plans, fraud_acc0, p_legit)
    for plan in plans:  # droppers hold contiguous runs of their scheme's new accounts
        sizes = plan.dropper_sizes
        persons = plan.person0 + np.arange(len(sizes))
        acc_start[persons] = plan.acc0 + np.r_[0, np.cumsum(sizes)[:-1]]
        n_acc[persons] = sizes

    # ages: adults; droppers are young
    age = np.empty(n_persons, dtype=np.float64)
    age[:p_legit] = 18 + 67 * rng.beta(1.4, 1.9, p_legit)
    age[p_legit:] = rng.uniform(18, 30, fraud.persons)
    birth_day = _ages_to_birth(spec, age, rng)
    female = rng.random(n_persons) < 0.52
    # households: runs of consecutive legitimate persons (sizes 1-5); droppers live alone
    hh_sizes = rng.choice(5, p_legit, p=[0.3, 0.28, 0.2, 0.15, 0.07]) + 1
    hh_of = np.repeat(np.arange(len(hh_sizes)), hh_sizes)[:p_legit]
    household = np.r_[hh_of, hh_of[-1] + 1 + np.arange(fraud.persons)].astype(np.int64)

    act = rng.lognormal(-0.3, 0.9, n_persons) * (0.4 + rng.pareto(1.8, n_persons))
    act = np.minimum(act / act.mean(), 300.0).astype(np.float32)

    # businesses
    bus_kind = np.r_[
        np.full(n_emp, BUS_EMPLOYER),
        np.full(n_mer, BUS_MERCHANT),
        np.full(N_UTILITIES, BUS_UTILITY),
        [BUS_PENSION],
        np.full(N_BANKS, BUS_CASH),
    ].astype(np.int8)
    bus_account = n_personal + np.arange(n_bus, dtype=np.int64)
    employers = np.flatnonzero(bus_kind == BUS_EMPLOYER)
    merchants = np.flatnonzero(bus_kind == BUS_MERCHANT)
    bus_owner = np.full(n_bus, -1, dtype=np.int64)
    bus_owner[merchants] = rng.integers(0, p_legit, n_mer)
    bus_payday = rng.choice(np.array([5, 10, 15, 20, 25]), n_bus).astype(np.int8)
    bus_advance = rng.random(n_bus) < 0.35

    # work, pensions, rent
    working_age = age < 62
    employed = working_age & (rng.random(n_persons) < 0.62)
    employed[p_legit:] = False
    employer_w = zipf_weights(rng, n_emp, 1.1)
    employer = np.full(n_persons, -1, dtype=np.int64)
    emp_pick = rng.choice(n_emp, int(employed.sum()), p=employer_w / employer_w.sum())
    employer[employed] = employers[emp_pick]
    salary = np.clip(rng.lognormal(np.log(280_000), 0.5, n_persons), 85_000, 6_000_000)
    pensioner = ~working_age
    pensioner[p_legit:] = False
    landlords = rng.choice(p_legit, max(2, p_legit // 50), replace=False)
    renter = (age < 40) & (rng.random(n_persons) < 0.16)
    renter[p_legit:] = False
    landlord = np.full(n_persons, -1, dtype=np.int64)
    lw = zipf_weights(rng, len(landlords), 0.8)
    landlord[renter] = landlords[rng.choice(len(landlords), int(renter.sum()), p=lw / lw.sum())]
    landlord[landlord == np.arange(n_persons)] = -1
    rent_day = rng.integers(1, 6, n_persons).astype(np.int8)
    rent = np.clip(rng.lognormal(np.log(140_000), 0.35, n_persons), 40_000, 900_000)

    social = rng.permutation(n_persons)
    social_inv = np.empty_like(social)
    social_inv[social] = np.arange(n_persons)
    sellers = rng.choice(p_legit, max(5, p_legit // 160), replace=False)
    couriers = rng.choice(p_legit, max(3, p_legit // 2000), replace=False)
    n_camp = max(2, n // 25_000)
    campaigns = np.stack(
        [
            rng.integers(0, p_legit, n_camp),
            spec.start_ts + rng.integers(0, (spec.days - 12) * DAY_S, n_camp),
            rng.integers(3, 11, n_camp),
            rng.integers(30, 300, n_camp),
        ],
        axis=1,
    ).astype(np.int64)

    # accounts
    acc_holder = np.empty(n, dtype=np.int64)
    acc_holder[:n_personal] = np.repeat(np.arange(p_legit), k)
    acc_holder[n_personal:fraud_acc0] = n_persons + np.arange(n_bus)
    for plan in plans:
        acc_holder[plan.acc0 : plan.acc0 + plan.n_new] = np.repeat(
            plan.person0 + np.arange(len(plan.dropper_sizes)), plan.dropper_sizes
        )
    acc_bank = np.zeros(n, dtype=np.int8)
    acc_bank[:n_personal] = distinct_banks(rng, k)
    bus_bank = rng.choice(N_BANKS, n_bus, p=BANK_SHARE).astype(np.int8)
    bus_bank[bus_kind == BUS_CASH] = np.arange(N_BANKS)
    acc_bank[n_personal:fraud_acc0] = bus_bank
    acc_kind = np.full(n, KIND_PERSONAL, dtype=np.int8)
    acc_kind[n_personal:fraud_acc0] = np.where(
        bus_kind == BUS_MERCHANT, KIND_MERCHANT, KIND_BUSINESS
    )

    acc_opened = np.full(n, spec.start_ts, dtype=np.int64)
    first = spec.start_ts - rng.integers(30 * DAY_S, 12 * 365 * DAY_S, p_legit)
    newcomer = rng.random(p_legit) < 0.04
    first[newcomer] = spec.start_ts + rng.integers(0, (spec.days - 1) * DAY_S, int(newcomer.sum()))
    together = rng.random(p_legit) < 0.2  # opened all accounts within days (legit noise)
    owner = acc_holder[:n_personal]
    pos = np.arange(n_personal) - acc_start[owner]
    base = first[owner]
    later = base + (rng.random(n_personal) * (spec.end_ts - DAY_S - base)).astype(np.int64)
    close = base + rng.integers(0, 10 * DAY_S, n_personal)
    acc_opened[:n_personal] = np.where(pos == 0, base, np.where(together[owner], close, later))
    acc_opened[n_personal:fraud_acc0] = spec.start_ts - rng.integers(
        60 * DAY_S, 20 * 365 * DAY_S, n_bus
    )
    acc_opened = np.minimum(acc_opened, spec.end_ts - 3600)

    share = np.where(pos == 0, 0.65, 0.35 / np.maximum(n_acc[owner] - 1, 1))
    share = np.where(n_acc[owner] == 1, 1.0, share)
    acc_act = np.zeros(n, dtype=np.float32)
    acc_act[:n_personal] = act[owner] * share
    acc_act[fraud_acc0:] = 0.03  # dropper accounts stay almost silent outside the schemes

    merchant_ticket = np.clip(rng.lognormal(np.log(4_000), 0.8, n_mer), 300, 200_000)
    person_ids = ids.iins(birth_day, female, rng_for(spec.seed, "iin"))
    reg_month = (acc_opened[n_personal:fraud_acc0] // DAY_S // 30.44).astype(np.int64)
    holder_id = np.concatenate([person_ids, ids.bins(reg_month, rng_for(spec.seed, "bin"))])
    return Population(
        n_persons=n_persons,
        n_legit_persons=p_legit,
        n_business=n_bus,
        n_accounts=n,
        n_legit_personal=n_personal,
        fraud_acc0=fraud_acc0,
        birth_day=birth_day,
        household=household,
        acc_start=acc_start,
        n_acc=n_acc,
        act=act,
        employer=employer,
        salary=salary.astype(np.float32),
        pensioner=pensioner,
        landlord=landlord,
        rent_day=rent_day,
        rent=rent.astype(np.float32),
        social=social,
        social_inv=social_inv,
        sellers=sellers,
        seller_w=zipf_weights(rng, len(sellers), 0.9),
        couriers=couriers,
        holder_id=holder_id,
        bus_kind=bus_kind,
        bus_account=bus_account,
        bus_owner=bus_owner,
        bus_payday=bus_payday,
        bus_advance=bus_advance,
        merchant_w=zipf_weights(rng, n_mer, 1.0),
        merchants=merchants,
        merchant_ticket=merchant_ticket,
        employers=employers,
        employer_w=employer_w,
        utilities=bus_account[bus_kind == BUS_UTILITY],
        pension_account=int(bus_account[bus_kind == BUS_PENSION][0]),
        cash_account=bus_account[bus_kind == BUS_CASH],
        acc_holder=acc_holder,
        acc_bank=acc_bank,
        acc_kind=acc_kind,
        acc_opened=acc_opened,
        acc_act=acc_act,
        campaigns=campaigns,
    )

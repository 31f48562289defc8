"""Legitimate money, one day at a time: card and QR spending at merchants (heavy fan-in,
the innocent look-alike of a collector), P2P between friends and family and to informal
sellers, bills, ATM cash, moves between one's own accounts at several banks, salaries
fanned out by employers, pensions, rent, merchants' payouts to their owners, B2B
payments, fundraising bursts, and the busy first days of newly opened accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator import buffers as B
from generator.config import (
    CH_APP,
    CH_ATM,
    CH_BRANCH,
    CH_POS,
    CH_QR,
    CH_USSD,
    CH_WEB,
    DAY_S,
    N_BANKS,
    WorldSpec,
    day_of_month,
    rng_for,
    weekday,
)
from generator.population import Population
from generator.sampling import (
    cdf_of,
    choice_idx,
    lognormal_cents,
    round_to,
    sample_cdf,
    seconds_in_day,
)

# Expected sends per account-activity unit per day, by kind.
RATES = {"retail": 0.033, "p2p": 0.017, "bills": 0.006, "atm": 0.006, "own": 0.004}


@dataclass
class LegitIndex:
    send_cdf: np.ndarray
    merchant_cdf: np.ndarray
    utility_cdf: np.ndarray
    seller_cdf: np.ndarray
    employer_cdf: np.ndarray
    new_acc: np.ndarray  # accounts opened inside the horizon, by opening time
    new_opened: np.ndarray
    pay_main: np.ndarray  # per person: day of month of the salary, 0 = none
    pay_adv: np.ndarray  # per person: day of the advance, 0 = none
    activity: float = 1.0  # the profile's multiplier of everyday transfers per account


def build_index(spec: WorldSpec, pop: Population, activity: float = 1.0) -> LegitIndex:
    w = pop.acc_act.astype(np.float64)
    w[pop.acc_kind != 0] = 0.0
    # the busy first days are for genuine newcomers; droppers' accounts lie dormant
    inside = np.flatnonzero(pop.acc_opened[: pop.n_legit_personal] >= spec.start_ts)
    inside = inside[np.argsort(pop.acc_opened[inside], kind="stable")]
    emp = pop.employer
    has = emp >= 0
    pay_main = np.zeros(pop.n_persons, dtype=np.int8)
    pay_main[has] = pop.bus_payday[emp[has]]
    adv = has & pop.bus_advance[np.maximum(emp, 0)]
    pay_adv = np.zeros(pop.n_persons, dtype=np.int8)
    pay_adv[adv] = (pay_main[adv].astype(np.int64) + 15 - 1) % 28 + 1
    return LegitIndex(
        send_cdf=cdf_of(w),
        merchant_cdf=cdf_of(pop.merchant_w),
        utility_cdf=cdf_of(1.0 / np.arange(1, len(pop.utilities) + 1)),
        seller_cdf=cdf_of(pop.seller_w),
        employer_cdf=cdf_of(pop.employer_w),
        new_acc=inside,
        new_opened=pop.acc_opened[inside],
        pay_main=pay_main,
        pay_adv=pay_adv,
        activity=activity,
    )


def _spend(
    rng: np.random.Generator, pop: Population, ix: LegitIndex, kind: str, src: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dst, cents, channel) for senders `src` of one spending kind."""
    n = len(src)
    if kind == "retail":
        m = sample_cdf(rng, ix.merchant_cdf, n)
        dst = pop.bus_account[pop.merchants[m]]
        kzt = pop.merchant_ticket[m] * rng.lognormal(0.0, 0.6, n)
        cents = np.clip(np.round(kzt), 50, 5_000_000).astype(np.int64) * 100
        ch = np.array([CH_POS, CH_QR, CH_APP])[choice_idx(rng, (0.45, 0.4, 0.15), n)]
        return dst, cents, ch
    if kind == "p2p":
        p = pop.holder_person(src)
        to_seller = rng.random(n) < 0.12
        seller = pop.acc_start[pop.sellers[sample_cdf(rng, ix.seller_cdf, n)]]
        friend = pop.person_account(rng, pop.friend(rng, np.maximum(p, 0)), 0.75)
        dst = np.where(to_seller, seller, friend)
        cents = np.where(
            to_seller,
            lognormal_cents(rng, n, 6_000, 0.8, 200, 500_000),
            lognormal_cents(rng, n, 8_000, 1.0, 100, 3_000_000),
        )
        ch = np.array([CH_APP, CH_WEB, CH_USSD])[choice_idx(rng, (0.85, 0.1, 0.05), n)]
        return dst, cents, ch
    if kind == "bills":
        dst = pop.utilities[sample_cdf(rng, ix.utility_cdf, n)]
        ch = np.where(rng.random(n) < 0.7, CH_APP, CH_WEB)
        return dst, lognormal_cents(rng, n, 12_000, 0.6, 500, 400_000), ch
    if kind == "atm":
        bank = np.where(rng.random(n) < 0.85, pop.acc_bank[src], rng.integers(0, N_BANKS, n))
        cents = round_to(lognormal_cents(rng, n, 40_000, 0.8, 5_000, 500_000), 5_000)
        return pop.cash_account[bank], cents, np.full(n, CH_ATM)
    # own: between one's own accounts (0 where the holder has a single account: dropped)
    p = np.maximum(pop.holder_person(src), 0)
    k = pop.n_acc[p]
    off = src - pop.acc_start[p]
    other = pop.acc_start[p] + (
        off + 1 + rng.integers(0, 1 << 30, n) % np.maximum(k - 1, 1)
    ) % np.maximum(k, 1)
    dst = np.where(k >= 2, other, src)
    return dst, lognormal_cents(rng, n, 50_000, 1.0, 1_000, 20_000_000), np.full(n, CH_APP)


def legit_transfers(
    spec: WorldSpec, pop: Population, ix: LegitIndex, day: int
) -> dict[str, np.ndarray]:
    rng = rng_for(spec.seed, "legit-tx", day)
    t0 = spec.start_ts + day * DAY_S
    wd, dom = weekday(spec, day), day_of_month(spec, day)
    wf = 0.85 if wd >= 5 else 1.0
    busy = wf * ix.activity
    out = B.transfer_columns()

    def add(
        src: np.ndarray,
        dst: np.ndarray,
        cents: np.ndarray,
        ch: np.ndarray | int,
        business: bool = False,
    ) -> None:
        at = t0 + seconds_in_day(rng, len(src), business)
        out.add(src=src, dst=dst, at=at, cents=cents, channel=ch, scheme=-1)

    total = float(ix.send_cdf[-1])
    for kind, rate in RATES.items():
        src = sample_cdf(rng, ix.send_cdf, int(rng.poisson(total * rate * busy)))
        dst, cents, ch = _spend(rng, pop, ix, kind, src)
        add(src, dst, cents, ch)

    # salaries (and advances) fan out from employers on their pay days
    for pay, share in ((ix.pay_main, 1.0), (ix.pay_adv, 0.4)):
        who = np.flatnonzero(pay == dom)
        if len(who):
            adv = pop.bus_advance[pop.employer[who]]
            frac = np.where(adv, 0.6, 1.0) if share == 1.0 else share
            cents = (pop.salary[who] * frac).astype(np.int64) * 100
            ch = np.where(rng.random(len(who)) < 0.85, CH_WEB, CH_BRANCH)
            add(pop.bus_account[pop.employer[who]], pop.acc_start[who], cents, ch, business=True)
    if dom == 20:
        who = np.flatnonzero(pop.pensioner)
        cents = np.clip(pop.salary[who] * 0.4, 60_000, 600_000).astype(np.int64) * 100
        add(
            np.full(len(who), pop.pension_account), pop.acc_start[who], cents, CH_WEB, business=True
        )
    rent = np.flatnonzero((pop.landlord >= 0) & (pop.rent_day == dom))
    add(
        pop.acc_start[rent],
        pop.acc_start[pop.landlord[rent]],
        pop.rent[rent].astype(np.int64) * 100,
        CH_APP,
    )

    # merchants pay their owners weekly; businesses pay suppliers
    mer = pop.merchants[pop.merchants % 7 == wd]
    scale = np.sqrt(pop.merchant_w[pop.merchants % 7 == wd] / pop.merchant_w.mean())
    cents = (lognormal_cents(rng, len(mer), 300_000, 0.7, 10_000, 50_000_000) * scale).astype(
        np.int64
    )
    add(
        pop.bus_account[mer],
        pop.acc_start[pop.bus_owner[mer]],
        np.maximum(cents, 100),
        CH_WEB,
        True,
    )
    payers = np.r_[pop.employers, pop.merchants]
    n_b2b = int(rng.poisson(len(payers) * 0.08 * busy))
    src = pop.bus_account[payers[rng.integers(0, len(payers), n_b2b)]]
    dst = pop.bus_account[pop.employers[sample_cdf(rng, ix.employer_cdf, n_b2b)]]
    add(
        src,
        dst,
        lognormal_cents(rng, n_b2b, 500_000, 1.2, 10_000, 500_000_000),
        np.where(rng.random(n_b2b) < 0.8, CH_WEB, CH_BRANCH),
        True,
    )

    # fundraising: a burst of small payments from many people into one personal account
    for person, start, days, payments in pop.campaigns:
        if start <= t0 + DAY_S and t0 < start + days * DAY_S:
            n = int(rng.poisson(payments / days))
            donors = rng.integers(0, pop.n_legit_persons, n)
            add(
                pop.acc_start[donors],
                np.full(n, pop.acc_start[person]),
                lognormal_cents(rng, n, 2_000, 0.8, 100, 100_000),
                CH_APP,
            )

    # newly opened accounts are busy in their first ten days
    lo, hi = np.searchsorted(ix.new_opened, [t0 - 10 * DAY_S, t0 + DAY_S])
    fresh = ix.new_acc[lo:hi]
    if len(fresh):
        k = rng.poisson(1.2 * ix.activity, len(fresh))
        src = np.repeat(fresh, k)
        kinds = np.where(rng.random(len(src)) < 0.5, "retail", "p2p")
        for kind in ("retail", "p2p"):
            s = src[kinds == kind]
            dst, cents, ch = _spend(rng, pop, ix, kind, s)
            add(s, dst, cents, ch)
        k_in = rng.poisson(0.8 * ix.activity, len(fresh))
        dst = np.repeat(fresh, k_in)
        p = np.maximum(pop.holder_person(dst), 0)
        srcs = pop.person_account(
            rng, np.where(rng.random(len(dst)) < 0.5, p, pop.friend(rng, p)), 0.7
        )
        add(srcs, dst, lognormal_cents(rng, len(dst), 30_000, 1.0, 500, 5_000_000), CH_APP)

    cols = out.take()
    at = cols["at"]
    ok = (cols["src"] != cols["dst"]) & (at >= pop.acc_opened[cols["src"]])
    ok &= (at >= pop.acc_opened[cols["dst"]]) & (at < spec.end_ts) & (cols["cents"] > 0)
    return B.select(cols, ok)

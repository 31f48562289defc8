"""The machinery every scheme shares: binding its accounts (droppers' new accounts and
recruited existing ones), money movements (pass-through, cash-out), the mules' logins
from shared operator devices, their SIM swaps and new phones, and the truth labels."""

from __future__ import annotations

import numpy as np

from generator import buffers as B
from generator.config import (
    CH_APP,
    CH_ATM,
    DAY_S,
    HOUR_S,
    MINUTE_S,
    PL_ANDROID,
    PL_WEB,
    SIM_NEW,
    SIM_SWAP,
    WorldSpec,
)
from generator.plan import ROLES, SchemePlan
from generator.population import NO_TIME, Population, distinct_banks
from generator.sampling import rotating_slots
from generator.telecom import Telecom, proxy_ips


class PersonPool:
    """Ordinary people who become victims, payers or recruited mules; each at most once,
    so every entity carries a single truth label."""

    def __init__(
        self, spec: WorldSpec, pop: Population, first_opened: np.ndarray, rng: np.random.Generator
    ) -> None:
        legit = np.arange(pop.n_legit_persons)
        ok = first_opened[legit] < spec.start_ts - 30 * DAY_S
        ok[pop.couriers] = False
        self._order = rng.permutation(legit[ok])
        self._next = 0

    def take(self, n: int) -> np.ndarray:
        if self._next + n > len(self._order):
            raise ValueError("the population is too small for its schemes")
        out = self._order[self._next : self._next + n]
        self._next += n
        return out


class FraudOut:
    """Everything the schemes produce, in global indices."""

    def __init__(self) -> None:
        self.tx = B.transfer_columns()
        self.logins = B.login_columns()
        self.calls = B.call_columns()
        self.labels = B.label_columns()
        self.victims = B.victim_columns()


def by_time_slots(
    rng: np.random.Generator, t: np.ndarray, n_slots: int, reuse: float
) -> np.ndarray:
    order = np.argsort(t, kind="stable")
    slots = np.empty(len(t), dtype=np.int64)
    slots[order] = rotating_slots(rng, len(t), n_slots, reuse)
    return slots


def first_distinct(
    group: np.ndarray, value: np.ndarray, t: np.ndarray, n_groups: int, k: int = 3
) -> np.ndarray:
    """(n_groups, k) matrix of each group's first k distinct values by time, -1 padded."""
    out = np.full((n_groups, k), -1, dtype=np.int64)
    if len(group) == 0:
        return out
    o = np.lexsort((t, value, group))
    g, v, tt = group[o], value[o], t[o]
    first = np.r_[True, (g[1:] != g[:-1]) | (v[1:] != v[:-1])]
    g, v, tt = g[first], v[first], tt[first]
    o2 = np.lexsort((tt, g))
    g, v = g[o2], v[o2]
    start = np.r_[True, g[1:] != g[:-1]]
    run0 = np.maximum.accumulate(np.where(start, np.arange(len(g)), 0))
    rank = np.arange(len(g)) - run0
    keep = rank < k
    out[g[keep], rank[keep]] = v[keep]
    return out


class SchemeCtx:
    def __init__(
        self,
        spec: WorldSpec,
        pop: Population,
        tel: Telecom,
        plan: SchemePlan,
        pool: PersonPool,
        out: FraudOut,
        rng: np.random.Generator,
    ) -> None:
        self.spec, self.pop, self.tel, self.plan, self.rng = spec, pop, tel, plan, rng
        self.pool, self.out = pool, out
        self.sid = plan.idx
        self.tx = B.transfer_columns()
        self.accounts: dict[str, np.ndarray] = {}
        self.recruited = np.zeros(0, dtype=np.int64)
        self.op_devices = plan.device0 + np.arange(plan.op_devices)
        self.proxies = proxy_ips(rng, int(rng.integers(2, 6)))
        self.callers = plan.phone0 + np.arange(plan.callers)
        self._bind()

    # --- accounts --------------------------------------------------------------------
    def _bind(self) -> None:
        plan, pop, rng = self.plan, self.pop, self.rng
        new = plan.acc0 + np.arange(plan.n_new)
        pop.acc_bank[new] = distinct_banks(rng, plan.dropper_sizes)
        new = rng.permutation(new)
        n_rec = sum(plan.recruited.values())
        holders = self.pool.take(n_rec)
        rec_acc = self._account_of(holders, 0.7)
        self.recruited = holders
        i = j = 0
        for role in ROLES[plan.type]:
            n_new = plan.roles[role] - plan.recruited[role]
            mine = np.r_[new[i : i + n_new], rec_acc[j : j + plan.recruited[role]]]
            i += n_new
            j += plan.recruited[role]
            self.accounts[role] = rng.permutation(mine).astype(np.int64)

    def all_accounts(self) -> np.ndarray:
        return np.concatenate([self.accounts[r] for r in ROLES[self.plan.type]])

    def take_victims(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        persons = self.pool.take(n)
        return persons, self._account_of(persons, 0.8)

    def _account_of(self, persons: np.ndarray, primary_p: float) -> np.ndarray:
        """One of their accounts that was already open when the horizon began."""
        acc = self.pop.person_account(self.rng, persons, primary_p)
        old = self.pop.acc_opened[acc] < self.spec.start_ts
        return np.where(old, acc, self.pop.acc_start[persons])

    # --- money -----------------------------------------------------------------------
    def send(
        self,
        src: np.ndarray,
        dst: np.ndarray,
        at: np.ndarray,
        cents: np.ndarray,
        channel: int | np.ndarray = CH_APP,
    ) -> None:
        keep = (src != dst) & (cents >= 100)
        n = len(src)
        ch = np.broadcast_to(np.asarray(channel, dtype=np.int8), (n,))
        self.tx.add(
            src=src[keep],
            dst=dst[keep],
            at=at[keep],
            cents=cents[keep],
            channel=ch[keep],
            scheme=self.sid,
        )

    def forward(
        self,
        src: np.ndarray,
        dst: np.ndarray,
        at: np.ndarray,
        cents: np.ndarray,
        lo_min: float,
        hi_min: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pass-through: the money leaves `src` minutes later, less a small cut."""
        n = len(src)
        t = at + (self.rng.uniform(lo_min, hi_min, n) * MINUTE_S).astype(np.int64)
        c = (cents * self.rng.uniform(0.96, 0.995, n)).astype(np.int64) // 100 * 100
        self.send(src, dst, t, c)
        return t, c

    def cash_out(self, src: np.ndarray, at: np.ndarray, cents: np.ndarray) -> None:
        """ATM withdrawals at the account's own bank, in notes, a few minutes apart."""
        rng = self.rng
        k = np.clip(np.ceil(cents / 50_000_000), 1, 6).astype(np.int64)
        row = np.repeat(np.arange(len(src)), k)
        pos = np.arange(len(row)) - np.repeat(np.cumsum(k) - k, k)
        each = np.maximum(cents[row] // k[row] // 500_000 * 500_000, 500_000)
        t = at[row] + pos * rng.integers(2 * MINUTE_S, 9 * MINUTE_S, len(row))
        s = src[row]
        self.send(s, self.pop.cash_account[self.pop.acc_bank[s]], t, each, CH_ATM)

    # --- finishing: dates, logins, preparation, labels -----------------------------------
    def finish(self) -> None:
        cols = self.tx.take()
        mine = self.all_accounts()
        first = self._activation(mine, cols)
        self._open_new_accounts(mine, first)
        self._prepare_mules(mine, first)
        self._mule_logins(mine, cols)
        self._label(mine, first)
        self.out.tx.add(**cols)

    def _activation(self, mine: np.ndarray, cols: dict[str, np.ndarray]) -> np.ndarray:
        order = np.argsort(mine)
        first = np.full(len(mine), NO_TIME, dtype=np.int64)
        for side in ("src", "dst"):
            acc = cols[side]
            pos = np.clip(np.searchsorted(mine, acc, sorter=order), 0, len(mine) - 1)
            hit = mine[order[pos]] == acc
            np.minimum.at(first, order[pos[hit]], cols["at"][hit])
        return first

    def _open_new_accounts(self, mine: np.ndarray, first: np.ndarray) -> None:
        """A dropper opens all his accounts within days, then they lie dormant for weeks."""
        plan, pop, rng, spec = self.plan, self.pop, self.rng, self.spec
        block = np.full(plan.n_new, NO_TIME, dtype=np.int64)
        new = (mine >= plan.acc0) & (mine < plan.acc0 + plan.n_new)
        block[mine[new] - plan.acc0] = first[new]
        sizes = plan.dropper_sizes
        starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
        person_first = np.minimum.reduceat(block, starts) if len(sizes) else np.zeros(0, np.int64)
        unused = person_first == NO_TIME
        dormant = rng.uniform(14, 56, len(sizes)) * DAY_S
        base = np.where(
            unused,
            spec.start_ts + rng.uniform(-60, spec.days - 2, len(sizes)) * DAY_S,
            person_first - dormant,
        ).astype(np.int64)
        window = rng.uniform(0.2, 6, len(sizes)) * DAY_S
        owner = np.repeat(np.arange(len(sizes)), sizes)
        opened = base[owner] + (rng.random(plan.n_new) * window[owner]).astype(np.int64)
        pop.acc_opened[plan.acc0 : plan.acc0 + plan.n_new] = np.minimum(
            opened, spec.end_ts - HOUR_S
        )

    def _prepare_mules(self, mine: np.ndarray, first: np.ndarray) -> None:
        """Some mules swap their SIM or get a new phone days before they go live."""
        plan, pop, tel, rng = self.plan, self.pop, self.tel, self.rng
        live = first < NO_TIME
        holder = pop.acc_holder[mine]
        lead = (rng.uniform(0.5, 3.0, len(mine)) * DAY_S).astype(np.int64)
        swap = np.flatnonzero(live & (rng.random(len(mine)) < 0.25))
        _, one = np.unique(holder[swap], return_index=True)  # one swap per person
        swap = swap[np.sort(one)]
        h = holder[swap]
        tel.sims.add(h, SIM_SWAP, (first - lead)[swap], tel.phone_op[h], h)
        swapped = np.zeros(len(mine), dtype=bool)
        swapped[swap] = True
        cand = np.flatnonzero(live & ~swapped & (tel.dev_new[holder] < 0))
        _, uniq = np.unique(holder[cand], return_index=True)
        cand = cand[np.sort(uniq)][: plan.mule_devices]
        devs = plan.device0 + plan.op_devices + np.arange(len(cand))
        at = first[cand] - lead[cand]
        tel.dev_new[holder[cand]] = devs
        tel.dev_new_at[holder[cand]] = at
        tel.dev_first_seen[devs] = at
        tel.dev_platform[devs] = PL_ANDROID
        unused = plan.device0 + plan.op_devices + np.arange(len(cand), plan.mule_devices)
        tel.dev_used[unused] = False
        self.out.labels.add(
            kind=B.EK_DEVICE,
            idx=devs,
            role=B.ROLE["mule_device"],
            scheme=self.sid,
            fraud=True,
            active=at,
        )

    def _mule_logins(self, mine: np.ndarray, cols: dict[str, np.ndarray]) -> None:
        """A session before every online outflow: mostly from one of the scheme's operator
        devices (shared by mules of different holders) through a proxy."""
        rng, pop, tel = self.rng, self.pop, self.tel
        sel = np.isin(cols["src"], mine) & (cols["channel"] != CH_ATM)
        acc = cols["src"][sel]
        at = cols["at"][sel] - rng.integers(MINUTE_S, 8 * MINUTE_S, len(acc))
        n = len(acc)
        holder = pop.acc_holder[acc]
        own = np.where(
            (tel.dev_new[holder] >= 0) & (at >= tel.dev_new_at[holder]),
            tel.dev_new[holder],
            tel.dev_primary[holder],
        )
        fav = self.op_devices[(acc * 7 + 3) % len(self.op_devices)]
        anyop = self.op_devices[rng.integers(0, len(self.op_devices), n)]
        use_op = rng.random(n) < 0.6
        dev = np.where(use_op, np.where(rng.random(n) < 0.75, fav, anyop), own)
        ip = np.where(
            rng.random(n) < 0.6,
            self.proxies[rng.integers(0, len(self.proxies), n)],
            tel.home_ip[pop.household[holder]],
        )
        self.login(acc, dev, ip, at)

    def login(self, acc: np.ndarray, dev: np.ndarray, ip: np.ndarray, at: np.ndarray) -> None:
        self.out.logins.add(acc=acc, dev=dev, ip=ip, at=at)
        op = dev >= self.op_devices[0] if len(self.op_devices) else np.zeros(len(dev), bool)
        op &= (dev < self.plan.device0 + self.plan.op_devices) & (at < self.spec.end_ts)
        if op.any():
            d, t = dev[op], at[op]
            earliest = np.full(self.plan.op_devices, NO_TIME, dtype=np.int64)
            np.minimum.at(earliest, d - self.plan.device0, t)
            seen = self.tel.dev_first_seen[self.op_devices]
            cur = np.where(seen > 0, seen, NO_TIME)
            new = np.minimum(cur, earliest)
            self.tel.dev_first_seen[self.op_devices] = np.where(new < NO_TIME, new, 0)  # 0: unseen

    def _label(self, mine: np.ndarray, first: np.ndarray) -> None:
        plan, tel, rng, lab = self.plan, self.tel, self.rng, self.out.labels
        order = np.argsort(mine)
        for role in ROLES[plan.type]:
            accs = self.accounts[role]
            at = first[order[np.searchsorted(mine, accs, sorter=order)]]
            r = B.ROLE[role]
            lab.add(kind=B.EK_ACCOUNT, idx=accs, role=r, scheme=self.sid, fraud=True, active=at)
        holders, inv = np.unique(self.pop.acc_holder[mine], return_inverse=True)
        p_first = np.full(len(holders), NO_TIME, dtype=np.int64)
        np.minimum.at(p_first, inv, first)
        droppers = plan.person0 + np.arange(len(plan.dropper_sizes))
        for persons, role in ((droppers, "dropper"), (self.recruited, "mule_holder")):
            lab.add(
                kind=B.EK_PERSON,
                idx=persons,
                role=B.ROLE[role],
                scheme=self.sid,
                fraud=True,
                active=p_first[np.searchsorted(holders, persons)],
            )
        seen = tel.dev_first_seen[self.op_devices]
        used = seen > 0
        # the operator's device was set up shortly before its first session
        tel.dev_first_seen[self.op_devices[used]] = seen[used] - rng.integers(
            HOUR_S, 2 * DAY_S, int(used.sum())
        )
        tel.dev_platform[self.op_devices] = np.where(
            rng.random(len(self.op_devices)) < 0.7, PL_ANDROID, PL_WEB
        )
        tel.dev_used[self.op_devices[~used]] = False
        lab.add(
            kind=B.EK_DEVICE,
            idx=self.op_devices[used],
            role=B.ROLE["operator_device"],
            scheme=self.sid,
            fraud=True,
            active=seen[used],
        )

    def register_callers(self, first_call: np.ndarray) -> None:
        """Fresh SIMs bought days before the first call, in a dropper's or a stolen name."""
        plan, pop, tel, rng = self.plan, self.pop, self.tel, self.rng
        n = len(self.callers)
        used = first_call < NO_TIME
        droppers = plan.person0 + np.arange(max(len(plan.dropper_sizes), 1))
        own = rng.random(n) < 0.5
        holder = np.where(
            own & (len(plan.dropper_sizes) > 0),
            rng.choice(droppers, n),
            rng.integers(0, pop.n_legit_persons, n),
        )
        at = np.where(used, first_call, self.spec.end_ts - DAY_S) - rng.integers(
            DAY_S, 10 * DAY_S, n
        )
        tel.phone_holder[self.callers] = holder
        tel.phone_new_at[self.callers] = at
        tel.sims.add(self.callers, SIM_NEW, at, tel.phone_op[self.callers], holder)
        self.out.labels.add(
            kind=B.EK_PHONE,
            idx=self.callers,
            role=B.ROLE["caller"],
            scheme=self.sid,
            fraud=True,
            active=first_call,
        )

"""What the AFC gets to see of the fraud: incidents and list entries.

Only part of the victims report (hours to weeks later, sometimes naming only some of the
accounts they paid, sometimes under the wrong scheme); confirmed mules reach the black
list after a delay (POLICE/AFC), callers' numbers and operators' devices now and then;
banks grey-list some unreported suspects and, as real banks do, some innocent customers.
Reports that would fall after the horizon have not happened yet and are dropped.
Unreported schemes (the profile's share) get no incident, so no list entry follows from
one; nor do the banks grey-list their members: they are the rings nobody has seen yet.
"""

from __future__ import annotations

import numpy as np

from generator import buffers as B
from generator.config import (
    BANK_CODES,
    DAY_S,
    HOUR_S,
    OPERATORS,
    SCHEME_TYPES,
    WorldSpec,
    rng_for,
)
from generator.plan import SchemePlan
from generator.population import NO_TIME, Population
from generator.telecom import Telecom

REPORT_P = {
    "phone_fraud": 0.55,
    "fake_investment": 0.45,
    "dropper": 0.5,
    "gambling": 0.06,
    "drugs": 0.02,
}
DELAY_MEDIAN_H = {
    "phone_fraud": 20,
    "fake_investment": 480,
    "dropper": 48,
    "gambling": 240,
    "drugs": 360,
}
SOURCES: tuple[str, ...] = (*BANK_CODES, "POLICE", "AFC", *OPERATORS)
SRC_POLICE, SRC_AFC = len(BANK_CODES), len(BANK_CODES) + 1
SRC_OP0 = len(BANK_CODES) + 2
REASONS: tuple[str, ...] = (
    "beneficiary of confirmed fraud incidents",
    "mule account confirmed by investigation",
    "holder of confirmed mule accounts",
    "number used in fraudulent calls",
    "device used to operate mule accounts",
    "rapid pass-through of incoming funds",
    "many incoming payments from unrelated payers",
    "high volume of incoming payments",
    "several accounts opened within days",
    "unusual activity on a new account",
    "many short outgoing calls",
)
LIST_BLACK, LIST_GREY = 0, 1


def _list_columns() -> B.Columns:
    return B.Columns(
        kind=np.int8,
        idx=np.int64,
        list=np.int8,
        reason=np.int8,
        source=np.int8,
        since=np.int64,
        until=np.int64,
    )


def make_incidents(
    spec: WorldSpec, pop: Population, plans: list[SchemePlan], victims: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    rng = rng_for(spec.seed, "incidents")
    n = len(victims["acc"])
    types = np.array([SCHEME_TYPES.index(p.type) for p in plans], dtype=np.int64)
    vtype = types[victims["scheme"]]
    p_rep = np.array([REPORT_P[t] for t in SCHEME_TYPES])[vtype]
    med = np.array([DELAY_MEDIAN_H[t] for t in SCHEME_TYPES], dtype=np.float64)[vtype]
    delay = (med * HOUR_S * rng.lognormal(0.0, 0.9, n)).astype(np.int64) + HOUR_S
    reported_at = victims["last_at"] + delay  # victims report once they stop paying
    seen = np.array([p.reported for p in plans], dtype=bool)[victims["scheme"]]
    keep = (rng.random(n) < p_rep) & (reported_at < spec.end_ts) & seen
    idx = np.flatnonzero(keep)
    m = len(idx)
    vt = vtype[idx]
    # the scheme as the victim understands it: droppers are invisible to victims
    right = rng.random(m) < np.where(vt == SCHEME_TYPES.index("dropper"), 0.35, 0.72)
    wrong = rng.integers(0, len(SCHEME_TYPES), m)
    scheme = np.where(right, vt, np.where(rng.random(m) < 0.75, len(SCHEME_TYPES), wrong))
    ben = victims["ben"][idx].copy()
    partial = (ben[:, 1] >= 0) & (rng.random(m) < 0.3)
    ben[partial, 1:] = -1
    cents = victims["cents"][idx]
    cents = np.where(
        rng.random(m) < 0.15, (cents * rng.uniform(0.5, 1.0, m)).astype(np.int64), cents
    )
    cents = np.maximum(cents // 100 * 100, 100)
    caller = np.where(rng.random(m) < 0.85, victims["caller"][idx], -1)
    occurred = np.where(rng.random(m) < 0.9, victims["first_at"][idx], NO_TIME)
    vacc = victims["acc"][idx]
    police = vt == SCHEME_TYPES.index("drugs")
    reporter = np.where(police, SRC_POLICE, pop.acc_bank[vacc].astype(np.int64))
    order = np.argsort(reported_at[idx], kind="stable")
    cols = {
        "reported_at": reported_at[idx],
        "reporter": reporter,
        "scheme": scheme,
        "victim": vacc,
        "cents": cents,
        "ben": ben,
        "caller": caller,
        "occurred_at": occurred,
    }
    return {k: v[order] for k, v in cols.items()}


def _first_time(n: int, idx: np.ndarray, at: np.ndarray) -> np.ndarray:
    first = np.full(n, NO_TIME, dtype=np.int64)
    np.minimum.at(first, idx, at)
    return first


def make_lists(
    spec: WorldSpec,
    pop: Population,
    tel: Telecom,
    plans: list[SchemePlan],
    labels: dict[str, np.ndarray],
    incidents: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    rng = rng_for(spec.seed, "lists")
    out = _list_columns()
    end = spec.end_ts
    ben = incidents["ben"]
    has = ben >= 0
    named = _first_time(
        pop.n_accounts, ben[has], np.repeat(incidents["reported_at"], 3).reshape(-1, 3)[has]
    )
    acc_named = np.flatnonzero(named < NO_TIME)
    black = acc_named[rng.random(len(acc_named)) < 0.5]
    b_at = named[black] + rng.integers(3 * DAY_S, 30 * DAY_S, len(black))
    src = np.where(rng.random(len(black)) < 0.5, SRC_POLICE, SRC_AFC)
    reason = np.where(src == SRC_POLICE, 1, 0)
    out.add(
        kind=B.EK_ACCOUNT,
        idx=black,
        list=LIST_BLACK,
        reason=reason,
        source=src,
        since=b_at,
        until=NO_TIME,
    )
    # the holders of blacklisted accounts, sometimes
    acc_black = _first_time(pop.n_accounts, black, b_at)
    is_acc = labels["kind"] == B.EK_ACCOUNT
    fraud_acc = labels["idx"][is_acc & labels["fraud"]]
    holder = pop.acc_holder[fraud_acc]
    p_black = _first_time(pop.n_persons + pop.n_business, holder, acc_black[fraud_acc])
    persons = np.flatnonzero(p_black[: pop.n_persons] < NO_TIME)
    persons = persons[rng.random(len(persons)) < 0.35]
    out.add(
        kind=B.EK_PERSON,
        idx=persons,
        list=LIST_BLACK,
        reason=2,
        source=np.where(rng.random(len(persons)) < 0.5, SRC_POLICE, SRC_AFC),
        since=p_black[persons] + rng.integers(DAY_S, 20 * DAY_S, len(persons)),
        until=NO_TIME,
    )
    # callers' numbers named in incidents
    c = incidents["caller"]
    named_c = _first_time(tel.n_phones, c[c >= 0], incidents["reported_at"][c >= 0])
    phones = np.flatnonzero(named_c < NO_TIME)
    phones = phones[rng.random(len(phones)) < 0.6]
    op_src = SRC_OP0 + tel.phone_op[phones].astype(np.int64)
    out.add(
        kind=B.EK_PHONE,
        idx=phones,
        list=LIST_BLACK,
        reason=3,
        source=np.where(rng.random(len(phones)) < 0.5, SRC_AFC, op_src),
        since=named_c[phones] + rng.integers(HOUR_S, 10 * DAY_S, len(phones)),
        until=NO_TIME,
    )
    # operators' devices of schemes with a blacklisted account
    is_dev = (labels["kind"] == B.EK_DEVICE) & (labels["role"] == B.ROLE["operator_device"])
    acc_scheme_black = np.full(int(labels["scheme"].max(initial=0)) + 1, NO_TIME, dtype=np.int64)
    np.minimum.at(acc_scheme_black, labels["scheme"][is_acc], acc_black[labels["idx"][is_acc]])
    devs = labels["idx"][is_dev]
    d_at = acc_scheme_black[labels["scheme"][is_dev]]
    pick = (d_at < NO_TIME) & (rng.random(len(devs)) < 0.25)
    out.add(
        kind=B.EK_DEVICE,
        idx=devs[pick],
        list=LIST_BLACK,
        reason=4,
        source=SRC_AFC,
        since=d_at[pick] + rng.integers(DAY_S, 15 * DAY_S, int(pick.sum())),
        until=NO_TIME,
    )
    # banks' own suspicions about fraud accounts nobody reported
    active = labels["active"]
    seen = np.array([p.reported for p in plans] + [True], dtype=bool)[labels["scheme"]]
    cand = np.flatnonzero(is_acc & labels["fraud"] & (active < NO_TIME))
    cand = cand[(named[labels["idx"][cand]] == NO_TIME) & (rng.random(len(cand)) < 0.12)]
    cand = cand[seen[cand]]
    g_acc = labels["idx"][cand]
    g_at = active[cand] + rng.integers(2 * DAY_S, 40 * DAY_S, len(cand))
    collector = np.isin(labels["role"][cand], [B.ROLE["collector"], B.ROLE["hub"]])
    _grey(out, rng, B.EK_ACCOUNT, g_acc, np.where(collector, 6, 5), pop.acc_bank[g_acc], g_at)
    # and about innocent customers: busy merchants and sellers, new accounts, multi-bank people
    labelled = np.zeros(pop.n_accounts, dtype=bool)
    labelled[labels["idx"][is_acc]] = True
    n_fp = max(5, spec.accounts // 1000)
    seller_acc = pop.acc_start[pop.sellers]
    new_acc = np.flatnonzero(pop.acc_opened[: pop.n_legit_personal] >= spec.start_ts)
    multi = pop.acc_start[np.flatnonzero(pop.n_acc[: pop.n_legit_persons] >= 4)] + 1
    pools = [(pop.bus_account[pop.merchants], 7), (seller_acc, 7), (new_acc, 9), (multi, 8)]
    for accs, why in pools:
        accs = accs[~labelled[accs]]
        k = min(len(accs), n_fp // 4 + 1)
        pick_acc = rng.choice(accs, k, replace=False) if k else accs[:0]
        at = np.maximum(spec.start_ts, pop.acc_opened[pick_acc]) + rng.integers(
            DAY_S, 60 * DAY_S, k
        )
        _grey(out, rng, B.EK_ACCOUNT, pick_acc, why, pop.acc_bank[pick_acc], at)
    couriers = pop.couriers[rng.random(len(pop.couriers)) < 0.3]
    _grey(
        out,
        rng,
        B.EK_PHONE,
        couriers,
        10,
        SRC_OP0 + tel.phone_op[couriers],
        spec.start_ts + rng.integers(DAY_S, (spec.days - 1) * DAY_S, len(couriers)),
    )
    cols = out.take()
    keep = cols["since"] < end
    cols = B.select(cols, keep)
    order = np.lexsort((cols["idx"], cols["kind"], cols["since"]))
    return B.select(cols, order)


def _grey(
    out: B.Columns,
    rng: np.random.Generator,
    kind: int,
    idx: np.ndarray,
    reason: int | np.ndarray,
    source: np.ndarray,
    since: np.ndarray,
) -> None:
    """Grey entries, half of them with an expiry after a review period."""
    n = len(idx)
    until = np.where(rng.random(n) < 0.5, since + rng.integers(30 * DAY_S, 120 * DAY_S, n), NO_TIME)
    out.add(
        kind=kind,
        idx=idx,
        list=LIST_GREY,
        reason=reason,
        source=np.asarray(source, np.int64),
        since=since,
        until=until,
    )


def known_at(
    labels: dict[str, np.ndarray],
    incidents: dict[str, np.ndarray] | None,
    lists: dict[str, np.ndarray],
    list_kinds: tuple[int, ...],
    sizes: dict[int, int],
) -> np.ndarray:
    """Per label row: the first time the AFC's own data names the entity (an incident naming
    it as beneficiary, caller or victim, or any list entry); NO_TIME if never."""
    first = {k: np.full(n, NO_TIME, dtype=np.int64) for k, n in sizes.items()}
    if incidents is not None:
        ben = incidents["ben"]
        has = ben >= 0
        rep3 = np.repeat(incidents["reported_at"], 3).reshape(-1, 3)
        np.minimum.at(first[B.EK_ACCOUNT], ben[has], rep3[has])
        np.minimum.at(first[B.EK_ACCOUNT], incidents["victim"], incidents["reported_at"])
        c = incidents["caller"] >= 0
        np.minimum.at(first[B.EK_PHONE], incidents["caller"][c], incidents["reported_at"][c])
    for k in list_kinds:
        sel = lists["kind"] == k
        np.minimum.at(first[k], lists["idx"][sel], lists["since"][sel])
    out = np.full(len(labels["kind"]), NO_TIME, dtype=np.int64)
    for k, arr in first.items():
        sel = labels["kind"] == k
        out[sel] = arr[labels["idx"][sel]]
    return out


def legit_grey_labels(
    lists: dict[str, np.ndarray], labels: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Label rows for innocent grey-listed entities (false positives), for evaluation."""
    out = B.label_columns()
    for k in (B.EK_ACCOUNT, B.EK_PHONE):
        sel = (lists["kind"] == k) & (lists["list"] == LIST_GREY)
        idx = np.unique(lists["idx"][sel])
        known = np.unique(labels["idx"][labels["kind"] == k])
        idx = idx[~np.isin(idx, known)]
        out.add(
            kind=k,
            idx=idx,
            role=B.ROLE["grey_listed_legit"],
            scheme=-1,
            fraud=False,
            active=NO_TIME,
        )
    return out.take()

"""The fraud schemes. Each one runs from its start to its end, recruiting victims at a
rate that grows as it matures and burning through its mule accounts in turn, so that
late in a scheme's life more victims and more mules appear every week.

- phone_fraud: callers on fresh SIMs ring many people (short calls, almost no call-backs);
  victims pay a "safe account" during or right after the call; the mule passes the money
  on within the hour (to a layer mule or an ATM), the layer cashes out within hours.
- fake_investment: unrelated victims pay a small, rotating funnel of collectors, deposit
  more and more, some receive small "payouts"; collectors consolidate daily to a hub that
  cashes out, partly through layers.
- dropper: a mule network (droppers open accounts at many banks within days, dormant, then
  used): victim -> A -> B -> C within hours, C cashes out; part of the money goes round
  A -> B -> C -> A before leaving.
- gambling / drugs: many small payments from many payers into collectors that rotate every
  few days, consolidated within hours into a few hubs; drug money also cycles.
"""

from __future__ import annotations

import numpy as np

from generator import buffers as B
from generator.config import CH_APP, CH_QR, CH_USSD, CH_WEB, DAY_S, HOUR_S, MINUTE_S
from generator.mules import SchemeCtx, by_time_slots, first_distinct
from generator.population import NO_TIME
from generator.sampling import choice_idx, growing_arrivals, to_daytime


def _arrivals(ctx: SchemeCtx, n: int) -> np.ndarray:
    p = ctx.plan
    t = growing_arrivals(ctx.rng, n, p.start, p.end, p.growth)
    t = to_daytime(ctx.rng, t, ctx.spec.start_ts)
    t = np.where(t >= p.end, t - DAY_S, t)  # the last day's late hours fall a day earlier
    return np.sort(np.maximum(t, p.start))


def _repeat(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    row = np.repeat(np.arange(len(k)), k)
    return row, np.arange(len(row)) - np.repeat(np.cumsum(k) - k, k)


def _cents(
    rng: np.random.Generator, n: int, median: float, sigma: float, lo: float, hi: float
) -> np.ndarray:
    kzt = np.clip(median * np.exp(sigma * rng.standard_normal(n)), lo, hi)
    return (np.round(kzt / 100) * 100 * 100).astype(np.int64)  # round hundreds of tenge


def _victims(
    ctx: SchemeCtx,
    vacc: np.ndarray,
    row: np.ndarray,
    dst: np.ndarray,
    at: np.ndarray,
    cents: np.ndarray,
    caller: np.ndarray,
    role: str,
) -> None:
    """One truth row per victim: first payment, total paid, first-hop accounts."""
    n = len(vacc)
    first = np.full(n, NO_TIME, dtype=np.int64)
    np.minimum.at(first, row, at)
    last = np.zeros(n, dtype=np.int64)
    np.maximum.at(last, row, at)
    total = np.bincount(row, weights=cents, minlength=n).astype(np.int64)
    ben = first_distinct(row, dst, at, n)
    keep = (first < ctx.spec.end_ts) & (ben[:, 0] >= 0)
    ctx.out.victims.add(
        acc=vacc[keep],
        scheme=ctx.sid,
        first_at=first[keep],
        last_at=last[keep],
        cents=total[keep],
        ben=ben[keep],
        caller=caller[keep],
        role=B.ROLE[role],
    )


def _spaced(
    rng: np.random.Generator,
    t0: np.ndarray,
    k: np.ndarray,
    row: np.ndarray,
    pos: np.ndarray,
    mean_gap: float,
) -> np.ndarray:
    """Each row's repeat payments follow its first one after exponential gaps."""
    gap = np.where(pos > 0, rng.exponential(mean_gap, len(row)), 0.0)
    cum = np.cumsum(gap)
    first = np.cumsum(k) - k
    return t0[row] + (cum - np.repeat(cum[first], k)).astype(np.int64)


def _group_sum(
    key: np.ndarray, at: np.ndarray, cents: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct key: (key, last instant, total)."""
    uk, inv = np.unique(key, return_inverse=True)
    last = np.zeros(len(uk), dtype=np.int64)
    np.maximum.at(last, inv, at)
    return uk, last, np.bincount(inv, weights=cents, minlength=len(uk)).astype(np.int64)


def phone_fraud(ctx: SchemeCtx) -> None:
    rng, pop = ctx.rng, ctx.pop
    v = ctx.plan.victims
    tv = _arrivals(ctx, v)
    persons, vacc = ctx.take_victims(v)
    mules, layers = ctx.accounts["mule"], ctx.accounts["layer"]
    m1 = mules[by_time_slots(rng, tv, len(mules), 0.15)]
    caller = ctx.callers[by_time_slots(rng, tv, len(ctx.callers), 0.3)]

    # the scam call, sometimes a follow-up "security service" call
    dur = rng.integers(300, 2700, v)
    follow = rng.random(v) < 0.3
    ctx.out.calls.add(caller=caller, callee=persons, at=tv, duration=dur)
    ctx.out.calls.add(
        caller=caller[follow],
        callee=persons[follow],
        at=tv[follow] + dur[follow] + rng.integers(10, 60, int(follow.sum())) * MINUTE_S,
        duration=rng.integers(60, 600, int(follow.sum())),
    )
    # cold calls: many short calls to strangers, almost never called back
    n_att = int(v * rng.uniform(3, 6))
    src = rng.integers(0, v, n_att)
    att_at = tv[src] + rng.integers(-3 * DAY_S, 3 * DAY_S, n_att)
    att_at = to_daytime(rng, att_at, ctx.spec.start_ts)
    inside = (att_at >= ctx.plan.start) & (att_at < ctx.plan.end)
    src, att_at = src[inside], att_at[inside]
    n_att = len(src)
    callee = rng.integers(0, pop.n_legit_persons, n_att)
    ctx.out.calls.add(
        caller=caller[src], callee=callee, at=att_at, duration=rng.integers(0, 90, n_att)
    )
    back = rng.random(n_att) < 0.03
    ctx.out.calls.add(
        caller=callee[back],
        callee=caller[src][back],
        at=att_at[back] + rng.integers(5, 600, int(back.sum())) * MINUTE_S,
        duration=rng.integers(0, 30, int(back.sum())),
    )
    first_call = np.full(len(ctx.callers), NO_TIME, dtype=np.int64)
    np.minimum.at(first_call, caller - ctx.callers[0], tv)
    np.minimum.at(first_call, caller[src] - ctx.callers[0], att_at)
    ctx.register_callers(first_call)

    # victims pay the "safe account" during or soon after the call
    k = 1 + (rng.random(v) < 0.35) + (rng.random(v) < 0.12)
    row, pos = _repeat(k)
    at = (
        tv[row]
        + rng.integers(4, 35, len(row)) * MINUTE_S
        + pos * rng.integers(8, 40, len(row)) * MINUTE_S
    )
    total = _cents(rng, v, 450_000, 0.9, 20_000, 15_000_000)
    cents = (total[row] / k[row] * rng.uniform(0.6, 1.4, len(row))).astype(np.int64) // 100 * 100
    other = mules[rng.integers(0, len(mules), len(row))]
    dst = np.where((pos > 0) & (rng.random(len(row)) < 0.25), other, m1[row])
    ch = np.array([CH_APP, CH_WEB, CH_USSD])[choice_idx(rng, (0.8, 0.15, 0.05), len(row))]
    ctx.send(vacc[row], dst, at, cents, ch)
    takeover = rng.random(v) < 0.1  # remote-access app: the fraudster's device logs in
    if takeover.any():
        n_to = int(takeover.sum())
        ctx.login(
            vacc[takeover],
            ctx.op_devices[rng.integers(0, len(ctx.op_devices), n_to)],
            ctx.proxies[rng.integers(0, len(ctx.proxies), n_to)],
            tv[takeover] + 60,
        )
    _victims(ctx, vacc, row, dst, at, cents, caller, "victim")

    # first-hop mules pass it on within the hour: to a layer, split, or straight to an ATM
    mode = choice_idx(rng, (0.55, 0.15, 0.30), len(row))
    lay = layers[by_time_slots(rng, at, len(layers), 0.3)]
    one = mode == 0
    t1, c1 = ctx.forward(dst[one], lay[one], at[one], cents[one], 3, 55)
    two = mode == 1
    half = cents[two] // 2
    lay2 = layers[rng.integers(0, len(layers), int(two.sum()))]
    t2a, c2a = ctx.forward(dst[two], lay[two], at[two], half, 3, 50)
    t2b, c2b = ctx.forward(dst[two], lay2, at[two], half, 5, 58)
    atm = mode == 2
    ctx.cash_out(dst[atm], at[atm] + rng.integers(5, 55, int(atm.sum())) * MINUTE_S, cents[atm])
    # layers cash out within hours, some through one more layer
    l_acc = np.r_[lay[one], lay[two], lay2]
    l_at, l_c = np.r_[t1, t2a, t2b], np.r_[c1, c2a, c2b]
    hop = rng.random(len(l_acc)) < 0.3
    nxt_l = layers[rng.integers(0, len(layers), int(hop.sum()))]
    th, ch_ = ctx.forward(l_acc[hop], nxt_l, l_at[hop], l_c[hop], 10, 120)
    ctx.cash_out(
        l_acc[~hop], l_at[~hop] + rng.integers(20, 240, int((~hop).sum())) * MINUTE_S, l_c[~hop]
    )
    ctx.cash_out(nxt_l, th + rng.integers(20, 240, len(th)) * MINUTE_S, ch_)
    ctx.finish()


def fake_investment(ctx: SchemeCtx) -> None:
    rng = ctx.rng
    v = ctx.plan.victims
    tv = _arrivals(ctx, v)
    _, vacc = ctx.take_victims(v)
    col, hubs, layers = ctx.accounts["collector"], ctx.accounts["hub"], ctx.accounts["layer"]
    k = 1 + np.minimum(rng.poisson(1.3, v), 4)
    row, pos = _repeat(k)
    at = _spaced(rng, tv, k, row, pos, 9 * DAY_S)
    first_amt = _cents(rng, v, 60_000, 0.6, 10_000, 500_000)
    cents = (first_amt[row] * rng.uniform(1.4, 2.6, len(row)) ** pos).astype(np.int64) // 100 * 100
    live = at < ctx.spec.end_ts
    row, pos, at, cents = row[live], pos[live], at[live], cents[live]
    dst = col[by_time_slots(rng, at, len(col), 0.25)]
    ctx.send(vacc[row], dst, at, cents, np.where(rng.random(len(row)) < 0.7, CH_APP, CH_WEB))
    _victims(ctx, vacc, row, dst, at, cents, np.full(v, -1), "victim")
    # a small "return" keeps some victims paying
    paid = np.flatnonzero(pos == 0)
    pay = paid[rng.random(len(paid)) < 0.45]
    ctx.send(
        dst[pay],
        vacc[row[pay]],
        at[pay] + rng.integers(2 * DAY_S, 12 * DAY_S, len(pay)),
        (cents[pay] * rng.uniform(0.05, 0.25, len(pay))).astype(np.int64) // 100 * 100,
    )
    # daily consolidation into the hub, then cash-out (half through layers)
    ci = np.searchsorted(np.sort(col), dst)
    day = (at - ctx.spec.start_ts) // DAY_S
    key, last, tot = _group_sum(ci * 100_000 + day, at, cents)
    csrc = np.sort(col)[key // 100_000]
    hub = hubs[np.where(rng.random(len(key)) < 0.8, 0, rng.integers(0, len(hubs), len(key)))]
    th, ch = ctx.forward(csrc, hub, last, tot, 30, 360)
    hi = np.searchsorted(np.sort(hubs), hub)
    key2, last2, tot2 = _group_sum(hi * 100_000 + (th - ctx.spec.start_ts) // (3 * DAY_S), th, ch)
    hsrc = np.sort(hubs)[key2 // 100_000]
    via = rng.random(len(key2)) < 0.5
    lay = layers[rng.integers(0, len(layers), int(via.sum()))]
    tl, cl = ctx.forward(hsrc[via], lay, last2[via], tot2[via], 60, 600)
    ctx.cash_out(lay, tl + rng.integers(30, 300, len(tl)) * MINUTE_S, cl)
    ctx.cash_out(
        hsrc[~via], last2[~via] + rng.integers(60, 900, int((~via).sum())) * MINUTE_S, tot2[~via]
    )
    ctx.finish()


def dropper(ctx: SchemeCtx) -> None:
    rng = ctx.rng
    v = ctx.plan.victims
    tv = _arrivals(ctx, v)
    _, vacc = ctx.take_victims(v)
    a_acc, b_acc, c_acc = ctx.accounts["mule"], ctx.accounts["layer"], ctx.accounts["cashout"]
    k = 1 + (rng.random(v) < 0.2)
    row, pos = _repeat(k)
    at = tv[row] + pos * rng.integers(10, 120, len(row)) * MINUTE_S
    cents = _cents(rng, len(row), 90_000, 0.8, 5_000, 2_000_000)
    a = a_acc[by_time_slots(rng, at, len(a_acc), 0.2)]
    ctx.send(vacc[row], a, at, cents)
    _victims(ctx, vacc, row, a, at, cents, np.full(v, -1), "victim")
    # A -> B within the hour or two, sometimes split over two Bs
    b = b_acc[by_time_slots(rng, at, len(b_acc), 0.3)]
    tb, cb = ctx.forward(a, b, at, cents, 10, 90)
    # B -> C, some through another B first (longer chains)
    longer = rng.random(len(b)) < 0.2
    b2 = b_acc[rng.integers(0, len(b_acc), int(longer.sum()))]
    tb2, cb2 = ctx.forward(b[longer], b2, tb[longer], cb[longer], 15, 120)
    b_src = np.r_[b[~longer], b2]
    b_at, b_c = np.r_[tb[~longer], tb2], np.r_[cb[~longer], cb2]
    origin = np.r_[a[~longer], a[longer]]
    c = c_acc[by_time_slots(rng, b_at, len(c_acc), 0.3)]
    tc, cc = ctx.forward(b_src, c, b_at, b_c, 15, 120)
    # laundering loop: part of the money goes back round to A, which then cashes it out
    loop = rng.random(len(c)) < 0.15
    back_c = (cc[loop] * rng.uniform(0.2, 0.4, int(loop.sum()))).astype(np.int64) // 100 * 100
    ta, ca = ctx.forward(c[loop], origin[loop], tc[loop], back_c, 20, 120)
    ctx.cash_out(origin[loop], ta + rng.integers(30, 240, len(ta)) * MINUTE_S, ca)
    rest = cc.copy()
    rest[loop] -= back_c
    ctx.cash_out(c, tc + rng.integers(30, 360, len(c)) * MINUTE_S, rest)
    ctx.finish()


def collection(ctx: SchemeCtx, drugs: bool) -> None:
    """gambling and drugs: many payers, rotating collectors, fast consolidation."""
    rng = ctx.rng
    v = ctx.plan.victims
    t0 = _arrivals(ctx, v)
    _, pacc = ctx.take_victims(v)
    col, hubs = ctx.accounts["collector"], ctx.accounts["hub"]
    k = 1 + np.minimum(rng.poisson(1.5 if drugs else 4.0, v), 30)
    row, pos = _repeat(k)
    at = _spaced(rng, t0, k, row, pos, 6 * DAY_S)
    at = np.where(pos > 0, to_daytime(rng, at, ctx.spec.start_ts), at)
    live = at < ctx.plan.end
    row, at = row[live], at[live]
    if drugs:
        cents = _cents(rng, len(row), 15_000, 0.5, 3_000, 150_000)
        ch = np.where(rng.random(len(row)) < 0.6, CH_APP, CH_QR)
    else:
        cents = _cents(rng, len(row), 8_000, 0.9, 1_000, 300_000)
        ch = np.array([CH_APP, CH_QR, CH_USSD])[choice_idx(rng, (0.6, 0.25, 0.15), len(row))]
    dst = col[by_time_slots(rng, at, len(col), 0.3)]
    ctx.send(pacc[row], dst, at, cents, ch)
    _victims(ctx, pacc, row, dst, at, cents, np.full(v, -1), "payer")
    # consolidation every few hours into a hub
    cs = np.sort(col)
    ci = np.searchsorted(cs, dst)
    window = (at - ctx.spec.start_ts) // (6 * HOUR_S)
    key, last, tot = _group_sum(ci * 1_000_000 + window, at, cents)
    hub = hubs[rng.integers(0, len(hubs), len(key))]
    th, ch2 = ctx.forward(cs[key // 1_000_000], hub, last, tot, 10, 90)
    hs = np.sort(hubs)
    key2, last2, tot2 = _group_sum(
        np.searchsorted(hs, hub) * 1_000_000 + (th - ctx.spec.start_ts) // DAY_S, th, ch2
    )
    hsrc = hs[key2 // 1_000_000]
    if drugs:
        lay = ctx.accounts["layer"]
        loop = rng.random(len(key2)) < 0.4
        part = (tot2[loop] * 0.4).astype(np.int64) // 100 * 100
        i = rng.integers(0, len(lay), int(loop.sum()))
        l0, l1 = lay[i], lay[(i + 1) % len(lay)]
        t1, c1 = ctx.forward(hsrc[loop], l0, last2[loop], part, 20, 120)
        t2, c2 = ctx.forward(l0, l1, t1, c1, 20, 120)
        t3, c3 = ctx.forward(l1, hsrc[loop], t2, c2, 20, 120)
        ctx.cash_out(hsrc[loop], t3 + rng.integers(30, 300, len(t3)) * MINUTE_S, c3)
        tot2 = tot2.copy()
        tot2[loop] -= part
    out_at = last2 + rng.integers(60, 600, len(key2)) * MINUTE_S
    via = (rng.random(len(key2)) < 0.4) & (len(hs) > 1)
    other = hs[(np.searchsorted(hs, hsrc[via]) + 1) % len(hs)]
    tv2, cv2 = ctx.forward(hsrc[via], other, out_at[via], tot2[via], 5, 60)
    ctx.cash_out(other, tv2 + rng.integers(30, 300, len(tv2)) * MINUTE_S, cv2)
    ctx.cash_out(hsrc[~via], out_at[~via], tot2[~via])
    ctx.finish()


def run_scheme(ctx: SchemeCtx) -> None:
    kind = ctx.plan.type
    if kind == "phone_fraud":
        phone_fraud(ctx)
    elif kind == "fake_investment":
        fake_investment(ctx)
    elif kind == "dropper":
        dropper(ctx)
    else:
        collection(ctx, drugs=kind == "drugs")

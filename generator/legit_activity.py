"""Legitimate sessions and calls, one day at a time.

Sessions come from the holder's own phone (or the family's shared one, or the new phone
after a change), sometimes from a web browser; at home or behind a carrier NAT that
thousands share. Calls are mostly between friends and family and are often returned;
couriers and taxi drivers ring many strangers briefly - the innocent look-alike of a
fraud caller, except that people call them back.
"""

from __future__ import annotations

import numpy as np

from generator import buffers as B
from generator import identifiers as ids
from generator.config import DAY_S, HOUR_S, MINUTE_S, WorldSpec, rng_for, weekday
from generator.population import Population
from generator.sampling import cdf_of, sample_cdf, seconds_in_day
from generator.telecom import Telecom, mobile_ip

LOGIN_RATE = 0.033  # sessions per activity unit per day
CALL_RATE = 0.011  # calls per person per day


def login_cdf(pop: Population) -> np.ndarray:
    w = pop.acc_act.astype(np.float64)
    w[pop.acc_kind != 0] = 2.0
    w[pop.cash_account] = 0.0  # the banks' own cash accounts have no online sessions
    return cdf_of(w)


def person_cdf(pop: Population) -> np.ndarray:
    return cdf_of(pop.act[: pop.n_legit_persons].astype(np.float64))


def legit_logins(
    spec: WorldSpec,
    pop: Population,
    tel: Telecom,
    cdf: np.ndarray,
    day: int,
    activity: float = 1.0,
) -> dict[str, np.ndarray]:
    """One day's sessions; `activity` (the profile's) keeps them in step with transfers."""
    rng = rng_for(spec.seed, "legit-logins", day)
    t0 = spec.start_ts + day * DAY_S
    wf = 0.85 if weekday(spec, day) >= 5 else 1.0
    n = int(rng.poisson(float(cdf[-1]) * LOGIN_RATE * wf * activity))
    acc = sample_cdf(rng, cdf, n)
    at = t0 + seconds_in_day(rng, n)
    keep = (at >= pop.acc_opened[acc]) & (at < spec.end_ts)
    acc, at = acc[keep], at[keep]
    n = len(acc)
    h = pop.acc_holder[acc]
    person = h < pop.n_persons
    p = np.where(person, h, 0)
    b = np.where(person, 0, h - pop.n_persons)
    phone_dev = np.where(
        (tel.dev_new[p] >= 0) & (at >= tel.dev_new_at[p]), tel.dev_new[p], tel.dev_primary[p]
    )
    web = (tel.dev_web[p] >= 0) & (rng.random(n) < 0.25)
    dev = np.where(person, np.where(web, tel.dev_web[p], phone_dev), tel.bus_device[b])
    home = tel.home_ip[pop.household[p]]
    office = ids.ipv4(
        np.full(n, 212),
        np.full(n, 154),
        (ids.splitmix64(b.astype(np.uint64)) % np.uint64(65536)).astype(np.int64),
    )
    mobile = mobile_ip(tel, p, day)
    ip = np.where(person, np.where(web | (rng.random(n) < 0.55), home, mobile), office)
    return {"acc": acc, "dev": dev, "ip": ip, "at": at}


def legit_calls(
    spec: WorldSpec, pop: Population, tel: Telecom, cdf: np.ndarray, day: int
) -> dict[str, np.ndarray]:
    rng = rng_for(spec.seed, "legit-calls", day)
    t0 = spec.start_ts + day * DAY_S
    out = B.call_columns()
    n = int(rng.poisson(pop.n_legit_persons * CALL_RATE))
    caller = sample_cdf(rng, cdf, n)
    callee = pop.friend(rng, caller)
    at = t0 + seconds_in_day(rng, n)
    dur = np.clip(rng.lognormal(np.log(100), 1.0, n), 1, 7200).astype(np.int64)
    out.add(caller=caller, callee=callee, at=at, duration=dur)
    back = rng.random(n) < 0.4
    out.add(
        caller=callee[back],
        callee=caller[back],
        at=at[back] + rng.integers(MINUTE_S, 4 * HOUR_S, int(back.sum())),
        duration=np.clip(rng.lognormal(np.log(90), 1.0, int(back.sum())), 1, 7200),
    )
    # couriers and drivers: many short calls to strangers, a few returned
    k = rng.poisson(12, len(pop.couriers))
    c_from = np.repeat(pop.couriers, k)
    c_to = rng.integers(0, pop.n_legit_persons, len(c_from))
    c_at = t0 + seconds_in_day(rng, len(c_from), business=True)
    out.add(caller=c_from, callee=c_to, at=c_at, duration=rng.integers(15, 90, len(c_from)))
    back = rng.random(len(c_from)) < 0.15
    out.add(
        caller=c_to[back],
        callee=c_from[back],
        at=c_at[back] + rng.integers(MINUTE_S, HOUR_S, int(back.sum())),
        duration=rng.integers(10, 60, int(back.sum())),
    )
    cols = out.take()
    ok = (cols["caller"] != cols["callee"]) & (cols["at"] < spec.end_ts)
    ok &= (cols["at"] >= tel.phone_new_at[cols["caller"]]) & (
        cols["at"] >= tel.phone_new_at[cols["callee"]]
    )
    return B.select(cols, ok)

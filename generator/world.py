"""`generate_world`: the deterministic synthetic AFC world, streamed to disk.

Order of work: draw the seed's profile (amount scale, time granularity, activity, ring
sizes, unreported schemes: see profile.py); size the schemes; build the population
around them; run the schemes (victims, mules, their money, calls, sessions); derive what
gets reported; then write the static feeds and stream the daily ones (transfers, logins,
calls), merging the schemes' events into each day; finally the truth and the manifest.
Same seed and parameters give byte-identical files.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from generator import buffers as B
from generator import legit, legit_activity, reporting, tables, truth
from generator.config import (
    DAY_S,
    DEFAULT_DAYS,
    DEFAULT_START,
    KZ_TZ,
    WorldSpec,
    rng_for,
)
from generator.errors import GenerateError
from generator.mules import FraudOut, PersonPool, SchemeCtx
from generator.plan import SchemePlan, fraud_totals, plan_schemes
from generator.population import Population, build_population
from generator.profile import WorldProfile, draw_profile
from generator.schemes import run_scheme
from generator.telecom import (
    Telecom,
    build_telecom,
    finalise,
    person_first_opened,
    settle_devices,
)
from generator.writer import FEEDS, MINIMAL_FEEDS, TRUTH, FeedWriter

log = logging.getLogger(__name__)
CHUNK = 200_000
GENERATOR_VERSION = 2  # 2: per-seed world profile, unreported schemes


def _sorted_cols(
    cols: dict[str, np.ndarray], spec: WorldSpec, pop: Population
) -> dict[str, np.ndarray]:
    at = cols["at"]
    ok = at < spec.end_ts
    if "acc" in cols:
        ok &= at >= pop.acc_opened[cols["acc"]]
    cols = B.select(cols, ok)
    return B.select(cols, np.argsort(cols["at"], kind="stable"))


def _run_schemes(
    spec: WorldSpec, pop: Population, tel: Telecom, plans: list[SchemePlan]
) -> FraudOut:
    out = FraudOut()
    pool = PersonPool(spec, pop, person_first_opened(pop), rng_for(spec.seed, "pool"))
    for plan in plans:
        ctx = SchemeCtx(spec, pop, tel, plan, pool, out, rng_for(spec.seed, "scheme", plan.idx))
        run_scheme(ctx)
    return out


def _clear(out: Path) -> None:
    """Remove feed and truth files of an earlier world in this directory (any format)."""
    for feed in FEEDS:
        for ext in ("csv", "parquet"):
            (out / f"{feed}.{ext}").unlink(missing_ok=True)
    shutil.rmtree(out / "truth", ignore_errors=True)
    (out / "manifest.json").unlink(missing_ok=True)


def generate_world(
    out: Path,
    accounts: int,
    seed: int,
    fmt: str = "csv",
    start: datetime | None = None,
    days: int = DEFAULT_DAYS,
    minimal: bool = False,
    progress: bool = True,
    profile: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Write a world of `accounts` accounts to `out`; return its manifest. `profile`
    overrides settings of the seed's drawn profile (e.g. {"granularity": "day"});
    `profile.BASE_PROFILE.as_dict()` gives the plain world of typical KZT amounts."""
    start = start or DEFAULT_START
    if start.tzinfo is None:
        raise GenerateError("start must carry a time zone")
    spec = WorldSpec(
        accounts=accounts,
        seed=seed,
        fmt=fmt,
        start_ts=int(start.timestamp()),
        days=days,
        minimal=minimal,
    )
    spec.validate()
    prof = draw_profile(seed).with_overrides(profile)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)

    plans = plan_schemes(spec, prof)
    log.info("planned %d schemes, %d new fraud accounts", len(plans), fraud_totals(plans).accounts)
    pop = build_population(spec, plans)
    tel = build_telecom(spec, pop, plans)
    settle_devices(spec, pop, tel)
    fo = _run_schemes(spec, pop, tel, plans)
    finalise(spec, pop, tel)

    victims = fo.victims.take()
    victims["cents"] = prof.scale_cents(victims["cents"], fraud=True)
    incidents, lists, labels, known = _reports(spec, pop, tel, plans, fo, victims)
    strings = tables.Strings(spec, pop, tel)
    rows, n_fraud_tx = _write_feeds(
        out, spec, prof, pop, tel, fo, strings, incidents, lists, progress
    )
    truth_rows = _write_truth(out, pop, strings, plans, labels, known, victims)
    truth_rows["fraud_transfers"] = n_fraud_tx
    manifest = _manifest(spec, prof, plans, pop, rows, truth_rows, labels, victims)
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (out / "truth" / "manifest.json").write_text(text)
    log.info("world written to %s: %s", out, rows)
    return manifest


def _reports(
    spec: WorldSpec,
    pop: Population,
    tel: Telecom,
    plans: list[SchemePlan],
    fo: FraudOut,
    victims: dict[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Incidents, list entries, every truth label and when each became known."""
    labels = fo.labels.take()
    incidents = reporting.make_incidents(spec, pop, plans, victims)
    lists = reporting.make_lists(spec, pop, tel, plans, labels, incidents)
    if spec.minimal:  # a bank without telecom data keeps lists of accounts and persons
        lists = B.select(lists, lists["kind"] <= B.EK_PERSON)
    vic = truth.victim_labels(victims)
    labels = {k: np.concatenate([labels[k], vic[k]]) for k in labels}
    grey = reporting.legit_grey_labels(lists, labels)
    labels = {k: np.concatenate([labels[k], grey[k]]) for k in labels}
    sizes = {
        B.EK_ACCOUNT: pop.n_accounts,
        B.EK_PERSON: pop.n_persons,
        B.EK_PHONE: tel.n_phones,
        B.EK_DEVICE: tel.n_devices,
    }
    kinds = (B.EK_ACCOUNT, B.EK_PERSON) if spec.minimal else tuple(range(4))
    known = reporting.known_at(labels, None if spec.minimal else incidents, lists, kinds, sizes)
    return incidents, lists, labels, known


def _write_feeds(
    out: Path,
    spec: WorldSpec,
    prof: WorldProfile,
    pop: Population,
    tel: Telecom,
    fo: FraudOut,
    s: tables.Strings,
    incidents: dict[str, np.ndarray],
    lists: dict[str, np.ndarray],
    progress: bool,
) -> tuple[dict[str, int], int]:
    """Every feed file; returns the rows per feed and the number of fraud transfers."""
    feeds = MINIMAL_FEEDS if spec.minimal else tuple(FEEDS)
    ext = spec.fmt
    w = {f: FeedWriter(out / f"{f}.{ext}", FEEDS[f], spec.fmt) for f in feeds}
    ftx = FeedWriter(out / "truth" / "fraud_transfers.csv", TRUTH["fraud_transfers"], "csv")
    try:
        order = np.argsort(pop.acc_opened, kind="stable")
        for lo in range(0, len(order), CHUNK):
            batch = tables.accounts_batch(pop, s, order[lo : lo + CHUNK])
            batch["opened_at"] = prof.stamp(batch["opened_at"])
            w["accounts"].write(batch)
        if not spec.minimal:
            used = np.flatnonzero(tel.dev_used)
            used = used[np.argsort(tel.dev_first_seen[used], kind="stable")]
            for lo in range(0, len(used), CHUNK):
                w["devices"].write(tables.devices_batch(tel, s, used[lo : lo + CHUNK]))
            sims = tables.sims_sorted(tel)
            for lo in range(0, len(sims["at"]), CHUNK):
                w["phones"].write(
                    tables.phones_batch(s, sims, lo, min(lo + CHUNK, len(sims["at"])))
                )
        _stream_days(spec, prof, pop, tel, fo, s, w, ftx, progress)
        if not spec.minimal:
            w["incidents"].write(tables.incidents_batch(s, incidents))
        w["list_entries"].write(tables.lists_batch(pop, s, lists))
    finally:
        rows = {f: wr.close() for f, wr in w.items()}
        n_fraud_tx = ftx.close()
    return rows, n_fraud_tx


def _stream_days(
    spec: WorldSpec,
    prof: WorldProfile,
    pop: Population,
    tel: Telecom,
    fo: FraudOut,
    s: tables.Strings,
    w: dict[str, FeedWriter],
    ftx: FeedWriter,
    progress: bool,
) -> None:
    ix = legit.build_index(spec, pop, prof.activity)
    ftr = _sorted_cols(fo.tx.take(), spec, pop)
    flog = flc = None
    if not spec.minimal:
        flog = _sorted_cols(fo.logins.take(), spec, pop)
        flc = _sorted_cols(fo.calls.take(), spec, pop)
        lcdf, pcdf = legit_activity.login_cdf(pop), legit_activity.person_cdf(pop)
    sid = np.array([f"SCH{i + 1:04d}" for i in range(int(ftr["scheme"].max(initial=0)) + 1)])
    next_id = {"tx": 1, "ls": 1, "cl": 1}
    for day in tqdm(range(spec.days), desc="days", unit="day", disable=not progress):
        t0, t1 = spec.start_ts + day * DAY_S, spec.start_ts + (day + 1) * DAY_S
        cols = _merge(legit.legit_transfers(spec, pop, ix, day), ftr, t0, t1)
        # the export's view: this world's amount scale and time stamps (order is kept)
        cols["cents"] = prof.scale_cents(cols["cents"], cols["scheme"] >= 0)
        cols["at"] = prof.stamp(cols["at"])
        batch = tables.transfers_batch(pop, s, cols, next_id["tx"])
        w["transfers"].write(batch)
        fr = cols["scheme"] >= 0
        ftx.write({"tx_id": batch["tx_id"][fr], "scheme_id": sid[cols["scheme"][fr]]})
        next_id["tx"] += len(cols["at"])
        if flog is not None and flc is not None:
            day_logins = legit_activity.legit_logins(spec, pop, tel, lcdf, day, prof.activity)
            lc = _merge(day_logins, flog, t0, t1)
            w["logins"].write(tables.logins_batch(s, lc, next_id["ls"]))
            next_id["ls"] += len(lc["at"])
            cc = _merge(legit_activity.legit_calls(spec, pop, tel, pcdf, day), flc, t0, t1)
            w["calls"].write(tables.calls_batch(s, cc, next_id["cl"]))
            next_id["cl"] += len(cc["at"])


def _merge(
    day_cols: dict[str, np.ndarray], fraud: dict[str, np.ndarray], t0: int, t1: int
) -> dict[str, np.ndarray]:
    lo, hi = np.searchsorted(fraud["at"], [t0, t1])
    cols = {k: np.concatenate([v, fraud[k][lo:hi]]) for k, v in day_cols.items()}
    return B.select(cols, np.argsort(cols["at"], kind="stable"))


def _write_truth(
    out: Path,
    pop: Population,
    s: tables.Strings,
    plans: list[SchemePlan],
    labels: dict[str, np.ndarray],
    known: np.ndarray,
    victims: dict[str, np.ndarray],
) -> dict[str, int]:
    with FeedWriter(out / "truth" / "entities.csv", TRUTH["entities"], "csv") as we:
        we.write(truth.entities_batch(pop, s, plans, labels, known))
    with FeedWriter(out / "truth" / "schemes.csv", TRUTH["schemes"], "csv") as ws:
        ws.write(truth.schemes_batch(plans, labels, victims))
    return {"entities": we.rows, "schemes": ws.rows}


def _manifest(
    spec: WorldSpec,
    prof: WorldProfile,
    plans: list[SchemePlan],
    pop: Population,
    rows: dict[str, int],
    truth_rows: dict[str, int],
    labels: dict[str, np.ndarray],
    victims: dict[str, np.ndarray],
) -> dict[str, Any]:
    fraud_acc = (labels["kind"] == B.EK_ACCOUNT) & labels["fraud"]
    by_type: dict[str, int] = {}
    for p in plans:
        by_type[p.type] = by_type.get(p.type, 0) + 1
    return {
        "generator": "fraudgraph.generate",
        "version": GENERATOR_VERSION,
        "seed": spec.seed,
        "accounts": spec.accounts,
        "format": spec.fmt,
        "minimal": spec.minimal,
        "start": datetime.fromtimestamp(spec.start_ts, KZ_TZ).isoformat(),
        "end": datetime.fromtimestamp(spec.end_ts, KZ_TZ).isoformat(),
        "days": spec.days,
        "feeds": rows,
        "truth": truth_rows,
        "schemes": by_type,
        "fraud_accounts": int(fraud_acc.sum()),
        "victims": int((victims["role"] == B.ROLE["victim"]).sum()),
        "payers": int((victims["role"] == B.ROLE["payer"]).sum()),
        "persons": pop.n_persons,
        "profile": prof.as_dict(),
        "unreported_schemes": [p.scheme_id for p in plans if not p.reported],
    }

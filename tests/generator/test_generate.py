"""The synthetic world generator: determinism, validity of every row against the feed
contract, referential integrity, the fraud signatures the detectors rely on, and the
per-seed profile (amount scale, time granularity, activity, ring sizes, unreported
schemes). Assertions read the world's own profile from its manifest: none relies on the
constants one seed happens to draw."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from generator import GenerateError, generate_world
from generator import identifiers as ids
from generator.config import DAY_S, TZ_OFFSET_S, WorldSpec
from generator.plan import plan_schemes
from generator.profile import (
    BASE_PROFILE,
    GRANULARITIES,
    MAX_CENTS,
    WorldProfile,
    draw_profile,
)
from generator.writer import FEEDS, MINIMAL_FEEDS
from graph_loader import fields as F
from graph_loader.load import load_directory

SMALL = 2_000  # the smallest world: enough for determinism and format checks
TYPES = ("phone_fraud", "fake_investment", "dropper", "gambling", "drugs")


def rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def digest(d: Path) -> dict[str, str]:
    return {
        str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(d.rglob("*"))
        if p.is_file()
    }


def ts(s: str) -> int:
    return F.timestamp(s, now=None)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    d = tmp_path_factory.mktemp("w5k")
    return d, generate_world(d, 5_000, seed=11, progress=False)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("small")
    generate_world(d, SMALL, seed=3, progress=False)
    return d


@pytest.fixture(scope="module")
def truth(world: tuple[Path, dict]) -> dict[str, list[dict[str, str]]]:
    d, _ = world
    return {name: list(rows(d / "truth" / f"{name}.csv")) for name in ("entities", "schemes")}


# --- determinism -------------------------------------------------------------------


def test_same_seed_gives_identical_files(small: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_world(again, SMALL, seed=3, progress=False)
    assert digest(small) == digest(again)


def test_different_seed_gives_different_world(small: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate_world(other, SMALL, seed=4, progress=False)
    a, b = digest(small), digest(other)
    assert a.keys() == b.keys()
    assert a["transfers.csv"] != b["transfers.csv"]
    assert a["accounts.csv"] != b["accounts.csv"]


# --- identifiers -----------------------------------------------------------------------


def test_identifiers_are_valid_and_unique() -> None:
    rng = np.random.default_rng(0)
    ib = [s.decode() for s in ids.ibans(np.arange(20_000), rng.integers(0, 20, 20_000), seed=5)]
    assert all(ids.iban_ok(s) for s in ib) and len(set(ib)) == len(ib)
    assert all(F.iban(s) == s for s in ib[:500])
    birth = rng.integers(-20_000, 13_000, 20_000)
    iins = [s.decode() for s in ids.iins(birth, rng.random(20_000) < 0.5, rng)]
    assert all(ids.iin_ok(s) for s in iins) and len(set(iins)) == len(iins)
    assert not ids.iin_ok(iins[0][:11] + str((int(iins[0][11]) + 1) % 10))
    phones = [s.decode() for s in ids.phone_numbers(np.arange(20_000), seed=5)]
    assert len(set(phones)) == len(phones)
    assert all(p.startswith("+7 7") and F.phone(p).startswith("77") for p in phones[:500])


# --- validity and referential integrity over a 5k world -----------------------------------


def test_accounts_exact_count_and_valid(world: tuple[Path, dict]) -> None:
    d, manifest = world
    accts = list(rows(d / "accounts.csv"))
    assert len(accts) == 5_000 == manifest["feeds"]["accounts"]
    assert len({a["iban"] for a in accts}) == len(accts)
    for a in accts:
        F.iban(a["iban"]), F.bank_code(a["bank"]), F.iin(a["holder_iin"])
        F.choice(a["kind"], ("personal", "business", "merchant"))
        assert ids.iin_ok(a["holder_iin"])
        assert ts(a["opened_at"]) < ts(manifest["end"])
    assert {a["kind"] for a in accts} == {"personal", "business", "merchant"}


def test_every_row_is_valid_and_references_resolve(world: tuple[Path, dict]) -> None:
    d, manifest = world
    end = ts(manifest["end"])
    opened = {a["iban"]: ts(a["opened_at"]) for a in rows(d / "accounts.csv")}
    seen_dev = {r["device_id"]: ts(r["first_seen_at"]) for r in rows(d / "devices.csv")}
    sim_at: dict[str, int] = {}
    for r in rows(d / "phones.csv"):
        F.identifier(r["event_id"]), F.iin(r["holder_iin"]), F.bank_code(r["operator"])
        F.choice(r["event"], ("new_sim", "swap", "port"))
        n = F.phone(r["number"])
        assert ts(r["at"]) < end
        sim_at[n] = min(sim_at.get(n, end), ts(r["at"]))
    assert {p["platform"] for p in rows(d / "devices.csv")} <= {"android", "ios", "web", "other"}
    assert all(F.device_id(dev) and at < end for dev, at in seen_dev.items())

    tx_ids = set()
    last = 0
    for r in rows(d / "transfers.csv"):
        F.identifier(r["tx_id"])
        tx_ids.add(r["tx_id"])
        src, dst = F.iban(r["from_iban"]), F.iban(r["to_iban"])
        at = ts(r["at"])
        assert src != dst and src in opened and dst in opened
        assert opened[src] <= at and opened[dst] <= at < end
        assert at >= last  # the transfers feed is in time order
        last = at
        assert 0 < F.amount(r["amount_kzt"]) <= F.MAX_AMOUNT_KZT
        F.choice(r["channel"], ("app", "web", "atm", "pos", "branch", "qr", "ussd"))
        F.boolean(r["interbank"])
    assert len(tx_ids) == manifest["feeds"]["transfers"]

    sessions = set()
    for r in rows(d / "logins.csv"):
        sessions.add(F.identifier(r["session_id"]))
        at = ts(r["at"])
        assert r["iban"] in opened and opened[r["iban"]] <= at < end
        assert seen_dev[F.device_id(r["device_id"])] <= at
        F.ip(r["ip"])
    assert len(sessions) == manifest["feeds"]["logins"]

    calls = set()
    for r in rows(d / "calls.csv"):
        calls.add(F.identifier(r["call_id"]))
        a, b = F.phone(r["caller"]), F.phone(r["callee"])
        at = ts(r["at"])
        assert a != b and at < end and sim_at[a] <= at and sim_at[b] <= at
        F.integer(r["duration_s"], 0, 86_400)
    assert len(calls) == manifest["feeds"]["calls"]

    for r in rows(d / "incidents.csv"):
        F.identifier(r["incident_id"])
        assert ts(r["reported_at"]) < end
        F.choice(r["scheme"], (*TYPES, "other"))
        assert r["victim_iban"] in opened
        bens = r["beneficiary_ibans"].split(";")
        assert bens and all(b in opened for b in bens)
        assert F.amount(r["amount_kzt"]) > 0
        if r["caller_phone"]:
            assert F.phone(r["caller_phone"]) in sim_at
        if r["occurred_at"]:
            assert ts(r["occurred_at"]) <= ts(r["reported_at"])

    persons = {a["holder_iin"] for a in rows(d / "accounts.csv")}
    entries = list(rows(d / "list_entries.csv"))
    assert len({e["entry_id"] for e in entries}) == len(entries)
    for e in entries:
        F.free_text(e["reason"]), F.bank_code(e["source"])
        assert ts(e["since"]) < end and e["list"] in ("black", "grey")
        known = {"account": opened, "person": persons, "phone": sim_at, "device": seen_dev}
        key = F.phone(e["entity_id"]) if e["entity_kind"] == "phone" else e["entity_id"]
        assert key in known[e["entity_kind"]]
        if e["until"]:
            assert ts(e["until"]) > ts(e["since"])
    assert {e["list"] for e in entries} == {"black", "grey"}


def test_fraud_rate_is_realistic(world: tuple[Path, dict]) -> None:
    """Within the range every profile can draw: ring size and density, scheme rate and
    activity each move these shares by at most a few times."""
    _, m = world
    p = m["profile"]
    fraud_share = m["fraud_accounts"] / m["accounts"]
    rings = p["ring_scale"] * p["ring_density"] * p["scheme_rate"]
    assert 0.005 <= fraud_share / rings <= 0.03
    assert 0.005 <= m["victims"] / m["accounts"] / (p["ring_scale"] * p["scheme_rate"]) <= 0.05
    assert 7 <= m["feeds"]["transfers"] / m["accounts"] / p["activity"] <= 20


# --- truth -----------------------------------------------------------------------------


def test_each_scheme_type_has_accounts_and_transfers(world: tuple[Path, dict], truth: dict) -> None:
    d, _ = world
    schemes = {s["scheme_id"]: s["scheme_type"] for s in truth["schemes"]}
    assert set(schemes.values()) == set(TYPES)
    fraud_acc = defaultdict(set)
    for e in truth["entities"]:
        if e["entity_kind"] == "account" and e["is_fraud"] == "1":
            fraud_acc[e["scheme_type"]].add(e["entity_id"])
    assert all(fraud_acc[t] for t in TYPES)
    tx_types = {schemes[r["scheme_id"]] for r in rows(d / "truth" / "fraud_transfers.csv")}
    assert tx_types == set(TYPES)
    roles = {e["role"] for e in truth["entities"]}
    assert {"mule", "collector", "hub", "dropper", "caller", "operator_device", "victim"} <= roles


def test_truth_never_leaks_into_feeds(world: tuple[Path, dict]) -> None:
    d, _ = world
    for p in d.glob("*.csv"):
        header = p.read_text().split("\n", 1)[0]
        assert "scheme_id" not in header and "is_fraud" not in header and "role" not in header
    assert not (d / "manifest.json").exists()


def test_known_at_is_consistent_with_incidents(world: tuple[Path, dict], truth: dict) -> None:
    d, _ = world
    fraud = {e["entity_id"]: e for e in truth["entities"] if e["is_fraud"] == "1"}
    victims = [e for e in truth["entities"] if e["role"] == "victim"]
    first_named: dict[str, int] = {}
    reported = set()
    for r in rows(d / "incidents.csv"):
        reported.add(r["victim_iban"])
        for b in r["beneficiary_ibans"].split(";"):
            assert b in fraud, "every incident beneficiary is a fraud account"
            first_named[b] = min(first_named.get(b, 1 << 62), ts(r["reported_at"]))
    for iban, at in first_named.items():
        assert fraud[iban]["known_at"] and ts(fraud[iban]["known_at"]) <= at
    share = sum(v["entity_id"] in reported for v in victims) / len(victims)
    assert 0 < share < 1
    hidden = [e for e in fraud.values() if e["entity_kind"] == "account" and not e["known_at"]]
    assert hidden, "part of the fraud stays hidden"
    for e in fraud.values():
        if e["known_at"] and e["active_from"]:
            assert ts(e["known_at"]) >= ts(e["active_from"])


def test_phone_fraud_mules_pass_money_through_within_an_hour(
    world: tuple[Path, dict], truth: dict
) -> None:
    d, _ = world
    mules = {
        e["entity_id"]
        for e in truth["entities"]
        if e["scheme_type"] == "phone_fraud" and e["role"] == "mule"
    }
    fraud_tx = {r["tx_id"] for r in rows(d / "truth" / "fraud_transfers.csv")}
    first_in: dict[str, int] = {}
    outflow: dict[str, list[int]] = defaultdict(list)
    for r in rows(d / "transfers.csv"):
        if r["tx_id"] not in fraud_tx:
            continue
        if r["to_iban"] in mules:
            first_in.setdefault(r["to_iban"], ts(r["at"]))
        if r["from_iban"] in mules:
            outflow[r["from_iban"]].append(ts(r["at"]))
    assert first_in
    # a coarse export stamps the in- and the outflow alike: within one step of each other
    gran = GRANULARITIES[world[1]["profile"]["granularity"]]
    lo = 0 if gran > 1 else 1
    quick = sum(
        any(lo <= o - t <= max(3600, gran) for o in outflow[m]) for m, t in first_in.items()
    )
    assert quick / len(first_in) > 0.8


def test_droppers_open_accounts_at_several_banks_within_days(
    world: tuple[Path, dict], truth: dict
) -> None:
    d, _ = world
    droppers = {e["entity_id"] for e in truth["entities"] if e["role"] == "dropper"}
    by_holder: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for a in rows(d / "accounts.csv"):
        if a["holder_iin"] in droppers:
            by_holder[a["holder_iin"]].append((a["bank"], ts(a["opened_at"])))
    many = [v for v in by_holder.values() if len(v) >= 3]
    assert many
    for accts in many:
        assert len({b for b, _ in accts}) == len(accts)
        times = [t for _, t in accts]
        assert max(times) - min(times) <= 7 * 86_400


def test_schemes_grow(world: tuple[Path, dict], truth: dict) -> None:
    """Later in a scheme's life more victims arrive per day than early on."""
    victims = defaultdict(list)
    for e in truth["entities"]:
        if e["role"] in ("victim", "payer"):
            victims[e["scheme_id"]].append(ts(e["active_from"]))
    growing = 0
    for s in truth["schemes"]:
        t = sorted(victims[s["scheme_id"]])
        mid = (ts(s["start_at"]) + ts(s["end_at"])) / 2
        growing += sum(x >= mid for x in t) > sum(x < mid for x in t)
    assert growing >= len(truth["schemes"]) * 0.6


# --- modes and formats ------------------------------------------------------------------


def test_minimal_mode_writes_only_bank_feeds(small: Path, tmp_path: Path) -> None:
    d = tmp_path / "minimal"
    m = generate_world(d, SMALL, seed=3, minimal=True, progress=False)
    assert sorted(p.name for p in d.glob("*.*")) == sorted(f"{f}.csv" for f in MINIMAL_FEEDS)
    assert {p.name for p in (d / "truth").iterdir()} == {
        "entities.csv",
        "schemes.csv",
        "fraud_transfers.csv",
        "manifest.json",
    }
    assert (d / "transfers.csv").read_bytes() == (small / "transfers.csv").read_bytes()
    kinds = {e["entity_kind"] for e in rows(d / "list_entries.csv")}
    assert kinds <= {"account", "person"}
    assert m["minimal"] is True


def test_parquet_matches_csv(small: Path, tmp_path: Path) -> None:
    d = tmp_path / "pq"
    m = generate_world(d, SMALL, seed=3, fmt="parquet", progress=False)
    for feed in FEEDS:
        n_csv = sum(1 for _ in rows(small / f"{feed}.csv"))
        t = pq.read_table(d / f"{feed}.parquet")
        assert t.num_rows == n_csv == m["feeds"][feed]
    again = tmp_path / "pq-again"
    generate_world(again, SMALL, seed=3, fmt="parquet", progress=False)
    assert digest(d) == digest(again)
    tx = pq.read_table(d / "transfers.parquet").slice(0, 5).to_pylist()
    first_csv = next(rows(small / "transfers.csv"))
    assert tx[0]["tx_id"] == first_csv["tx_id"]
    assert tx[0]["at"] == datetime.fromisoformat(first_csv["at"])
    assert tx[0]["at"].utcoffset() == timedelta(hours=5)
    assert tx[0]["amount_kzt"] == float(first_csv["amount_kzt"])


def test_manifest_written_and_parameters_checked(small: Path, tmp_path: Path) -> None:
    manifest = json.loads((small / "truth" / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["accounts"] == SMALL
    assert manifest["start"] == "2026-05-01T00:00:00+05:00"
    with pytest.raises(GenerateError):
        generate_world(tmp_path / "bad", 10, seed=1, progress=False)
    with pytest.raises(GenerateError):
        generate_world(tmp_path / "bad", SMALL, seed=1, fmt="xlsx", progress=False)


# --- the world's profile ------------------------------------------------------------------


def test_profiles_vary_by_seed_and_are_pure() -> None:
    profiles = [draw_profile(seed) for seed in range(40)]
    assert profiles == [draw_profile(seed) for seed in range(40)]
    scales = [p.amount_scale for p in profiles]
    assert max(scales) / min(scales) >= 100, "amount scales span orders of magnitude"
    assert {p.granularity for p in profiles} == set(GRANULARITIES)
    for dial in ("fraud_amount_ratio", "activity", "ring_scale", "ring_density", "scheme_rate"):
        values = [getattr(p, dial) for p in profiles]
        assert max(values) / min(values) >= 1.5, dial
    assert all(0 < p.unreported_share < 1 for p in profiles)
    assert len({p.unreported_share for p in profiles}) > 30


def test_manifest_records_the_seeds_profile(small: Path, world: tuple[Path, dict]) -> None:
    manifest = json.loads((small / "truth" / "manifest.json").read_text())
    assert manifest["profile"] == draw_profile(3).as_dict()
    assert world[1]["profile"] == draw_profile(11).as_dict()
    assert manifest["profile"] != world[1]["profile"]


def test_ring_sizes_follow_the_profile() -> None:
    """Planning is pure and cheap: compare ring sizes of a 100k world across profiles."""
    spec = WorldSpec(accounts=100_000, seed=9)

    def plans(**dials: float) -> tuple[float, float, int]:
        ps = plan_schemes(spec, BASE_PROFILE.with_overrides(dials))
        victims = sum(p.victims for p in ps)
        return victims / len(ps), sum(sum(p.roles.values()) for p in ps) / victims, len(ps)

    v_small, _, _ = plans(ring_scale=0.5)
    v_big, _, _ = plans(ring_scale=2.0)
    assert 2.5 <= v_big / v_small <= 5.5
    _, sparse, _ = plans(ring_density=0.5)
    _, dense, _ = plans(ring_density=2.0)
    assert 2.5 <= dense / sparse <= 5.5
    assert plans(scheme_rate=2.0)[2] > 1.5 * plans(scheme_rate=0.5)[2]
    sizes = [len(plan_schemes(WorldSpec(100_000, seed), draw_profile(seed))) for seed in range(8)]
    totals = [
        sum(p.victims for p in plan_schemes(WorldSpec(100_000, seed), draw_profile(seed)))
        for seed in range(8)
    ]
    assert len(set(sizes)) > 1 and max(totals) / min(totals) >= 1.5


def _legit_amounts(d: Path) -> np.ndarray:
    """Everyday in-app payments (P2P, bills, own accounts): their mix does not depend on
    activity, unlike the overall median, where monthly salaries weigh more in a quiet
    world."""
    fraud = {r["tx_id"] for r in rows(d / "truth" / "fraud_transfers.csv")}
    return np.array(
        [
            float(r["amount_kzt"])
            for r in rows(d / "transfers.csv")
            if r["tx_id"] not in fraud and r["channel"] == "app"
        ]
    )


def test_amounts_follow_the_profiles_scale(small: Path, world: tuple[Path, dict]) -> None:
    """Raw medians differ as the two seeds' scales do; divided by the scale they agree."""
    d, m = world
    small_m = json.loads((small / "truth" / "manifest.json").read_text())
    med_small, med_world = np.median(_legit_amounts(small)), np.median(_legit_amounts(d))
    norm = (med_world / m["profile"]["amount_scale"]) / (
        med_small / small_m["profile"]["amount_scale"]
    )
    assert 0.6 <= norm <= 1.6
    scales = m["profile"]["amount_scale"] / small_m["profile"]["amount_scale"]
    assert (med_world / med_small > 1) == (scales > 1)


def test_scaled_amounts_stay_within_the_feed_contract() -> None:
    huge = WorldProfile(amount_scale=1000.0, fraud_amount_ratio=1000.0)
    cents = np.array([1, 100, 5_000_000_000_000], dtype=np.int64)
    out = huge.scale_cents(cents, fraud=True)
    assert out.max() == MAX_CENTS and out.min() >= 1
    tiny = WorldProfile(amount_scale=0.001, fraud_amount_ratio=0.001)
    assert tiny.scale_cents(cents, fraud=np.array([True, False, True])).min() == 1
    assert BASE_PROFILE.scale_cents(cents, fraud=True).tolist() == cents.tolist()


def test_stamps_floor_to_the_local_granularity() -> None:
    rng = np.random.default_rng(1)
    at = np.sort(rng.integers(1_700_000_000, 1_800_000_000, 1_000))
    for name, step in GRANULARITIES.items():
        out = WorldProfile(granularity=name).stamp(at)
        assert np.all(out <= at) and np.all(at - out < step)
        assert np.all(np.diff(out) >= 0), "order is kept"
        assert np.all((out + TZ_OFFSET_S) % step == 0)


def test_profile_overrides_are_checked(tmp_path: Path) -> None:
    with pytest.raises(GenerateError, match="unknown profile setting"):
        generate_world(tmp_path / "bad", SMALL, seed=1, progress=False, profile={"x": 1})
    with pytest.raises(GenerateError, match="granularity"):
        generate_world(
            tmp_path / "bad", SMALL, seed=1, progress=False, profile={"granularity": "week"}
        )
    with pytest.raises(GenerateError, match="amount_scale"):
        draw_profile(1).with_overrides({"amount_scale": 0.0})


def test_unreported_schemes_are_hidden_truth(world: tuple[Path, dict], truth: dict) -> None:
    d, m = world
    hidden = set(m["unreported_schemes"])
    assert hidden and hidden < {s["scheme_id"] for s in truth["schemes"]}
    members = [e for e in truth["entities"] if e["scheme_id"] in hidden and e["is_fraud"] == "1"]
    assert {e["entity_kind"] for e in members} >= {"account", "person"}
    assert all(not e["known_at"] for e in members)
    member_ids = {e["entity_id"] for e in members}
    hidden_victims = {
        e["entity_id"]
        for e in truth["entities"]
        if e["scheme_id"] in hidden and e["is_fraud"] == "0"
    }
    for r in rows(d / "incidents.csv"):
        named = {r["victim_iban"], *r["beneficiary_ibans"].split(";")}
        if r["caller_phone"]:
            named.add(r["caller_phone"])
        assert not named & member_ids and r["victim_iban"] not in hidden_victims
    listed = {e["entity_id"] for e in rows(d / "list_entries.csv")}
    assert not listed & member_ids
    # the reported schemes still are: their members get named
    seen = [e for e in truth["entities"] if e["scheme_id"] not in hidden and e["is_fraud"] == "1"]
    assert any(e["known_at"] for e in seen)


def test_day_granular_world_loads(
    graph: Driver, db: str, pseudo: Pseudonymiser, tmp_path: Path
) -> None:
    """A batch export stamped to the day: every transfer and opening at local midnight,
    still valid for the loader, every row loaded."""
    d = tmp_path / "daily"
    m = generate_world(
        d, SMALL, seed=4, minimal=True, progress=False, profile={"granularity": "day"}
    )
    assert m["profile"]["granularity"] == "day"
    stamps = [ts(r["at"]) for r in rows(d / "transfers.csv")]
    stamps += [ts(r["opened_at"]) for r in rows(d / "accounts.csv")]
    assert all((t + TZ_OFFSET_S) % DAY_S == 0 for t in stamps)
    assert len({t for t in stamps}) > 30
    rep = load_directory(
        graph, db, d, pseudo, rejects_path=tmp_path / "rejects.csv", progress=False
    )
    assert rep.rejected == 0 and rep.loaded == rep.read
    recs, _, _ = graph.execute_query(
        "MATCH ()-[t:TRANSFERRED]->() "
        "RETURN count(t) AS n, sum(CASE WHEN (t.ts + $tz) % $day = 0 THEN 1 ELSE 0 END) AS mid",
        tz=TZ_OFFSET_S,
        day=DAY_S,
        database_=db,
    )
    assert recs[0]["n"] == recs[0]["mid"] == m["feeds"]["transfers"]

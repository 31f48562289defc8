"""The workbench tests' world: a small generated AFC world loaded through the real loader,
then what the other components write: heuristic signals (a few fast heuristics), risk
(the propagation engine's write-back) and clusters (the GNN package's clustering on the
propagated risk, since no GNN is trained here). Plus keys of every role."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from neo4j import Driver

from api.keys import create_key
from cypher.detect import detect
from cypher.graph_schema import reset_data
from fraudgraph.pseudonym import Pseudonymiser
from generator.world import generate_world
from gnn.clusters.run import build_clusters
from gnn.clusters.store import write_clusters
from gnn.propagation.engine import PropagationEngine
from gnn.snapshot.export import export_snapshot
from graph_loader.load import load_directory

log = logging.getLogger(__name__)

ACCOUNTS = 2000
SEED = 11
HEURISTICS = ["fast_pass_through", "list_proximity", "shared_device"]


@dataclass
class UiWorld:
    engine: PropagationEngine
    analyst: str
    admin: str
    bank: str  # a bank key of another bank than the mule's
    bank_code: str
    mule_iban: str
    mule_id: str
    mule_bank: str
    incident_ids: list[str]  # those naming the mule first
    legit_iban: str  # an account no scheme touched (for list changes)
    clusters: int


def _truth_mules(world: Path) -> list[str]:
    """Mule accounts (first hop paid by victims) that an incident or list already names."""
    with (world / "truth" / "entities.csv").open(newline="") as f:
        return sorted(r["entity_id"] for r in csv.DictReader(f)
                      if r["entity_kind"] == "account" and r["role"] == "mule"
                      and r["is_fraud"] == "1" and r["known_at"])


def _incidents(world: Path, iban: str) -> list[str]:
    """Every incident id, those with this account among the beneficiaries first."""
    with (world / "incidents.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    return [str(r["incident_id"]) for r in sorted(
        rows, key=lambda r: iban not in r["beneficiary_ibans"].split(";"))]


def _legit_account(world: Path) -> str:
    with (world / "truth" / "entities.csv").open(newline="") as f:
        touched = {r["entity_id"] for r in csv.DictReader(f)}
    with (world / "accounts.csv").open(newline="") as f:
        return next(str(r["iban"]) for r in csv.DictReader(f) if r["iban"] not in touched)


def _cluster(driver: Driver, db: str) -> int:
    snap = export_snapshot(driver, db, progress=False)
    recs, _, _ = driver.execute_query(
        "MATCH (a:Account) WHERE a.risk IS NOT NULL RETURN a.id AS id, a.risk AS risk",
        database_=db, routing_="r")
    risk = {r["id"]: float(r["risk"]) for r in recs}
    scores = np.array([risk.get(i, np.nan) for i in snap.nodes["Account"]], dtype=np.float64)
    run = build_clusters(snap, scores, previous={})
    write_clusters(driver, db, run.clusters, run_id="ui-test")
    return len(run.clusters)


def build_world(driver: Driver, db: str, pseudo: Pseudonymiser, tmp: Path) -> UiWorld:
    reset_data(driver, db)
    world = tmp / "world"
    generate_world(world, accounts=ACCOUNTS, seed=SEED, progress=False)
    rep = load_directory(driver, db, world, pseudo, rejects_path=tmp / "rejects.csv",
                         progress=False)
    assert rep.rejected == 0, rep
    detect(driver, db, only=HEURISTICS, progress=False)
    engine = PropagationEngine.build(driver, db)
    engine.write_back()
    clusters = _cluster(driver, db)
    mule = _truth_mules(world)[0]
    mule_id = pseudo("account", mule)
    recs, _, _ = driver.execute_query("MATCH (a:Account {id: $id}) RETURN a.bank AS bank",
                                      id=mule_id, database_=db)
    mule_bank = str(recs[0]["bank"])
    banks, _, _ = driver.execute_query("MATCH (a:Account) RETURN DISTINCT a.bank AS bank",
                                       database_=db)
    other = sorted(str(r["bank"]) for r in banks if r["bank"] and r["bank"] != mule_bank)[0]
    log.info("ui world: mule at %s, %d clusters", mule_bank, clusters)
    return UiWorld(
        engine=engine,
        analyst=create_key(driver, db, "afc_analyst", None)[1],
        admin=create_key(driver, db, "admin", None)[1],
        bank=create_key(driver, db, "bank", other)[1], bank_code=other,
        mule_iban=mule, mule_id=mule_id, mule_bank=mule_bank,
        incident_ids=_incidents(world, mule), legit_iban=_legit_account(world),
        clusters=clusters,
    )

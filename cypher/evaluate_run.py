"""`fraudgraph eval heuristics`: a detect run's signals against the truth files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neo4j import Driver, RoutingControl

from cypher import statement
from cypher.errors import CypherError
from cypher.evaluate import build_truth, evaluate
from cypher.heuristics import load_heuristics
from cypher.signals import latest_run_id, run_signals
from fraudgraph.pseudonym import Pseudonymiser
from generator.truth_reader import read_scheme_spans, read_truth


def run_info(driver: Driver, database: str, run_id: str) -> dict[str, Any]:
    recs, _, _ = driver.execute_query(
        statement("eval/run_info"), id=run_id, database_=database,
        routing_=RoutingControl.READ)
    if not recs:
        raise CypherError(f"no detect run {run_id!r}")
    return recs[0].data()


def held_accounts(driver: Driver, database: str, persons: list[str]) -> dict[str, list[str]]:
    recs, _, _ = driver.execute_query(
        statement("eval/held_accounts"), ids=persons, database_=database,
        routing_=RoutingControl.READ)
    return {r["person"]: r["accounts"] for r in recs}


def evaluate_run(driver: Driver, database: str, truth_dir: Path, pseudo: Pseudonymiser, *,
                 run_id: str | None = None) -> dict[str, Any]:
    run_id = run_id or latest_run_id(driver, database)
    if run_id is None:
        raise CypherError("no finished detect run to evaluate; run `fraudgraph detect` first")
    info = run_info(driver, database, run_id)
    as_of, window_s = int(info["as_of"]), int(info["window_s"])
    truth = build_truth(read_truth(truth_dir, pseudo), as_of=as_of, window_s=window_s,
                        spans=read_scheme_spans(truth_dir))
    signals = run_signals(driver, database, run_id)
    catalog = load_heuristics()
    ran = json.loads(info["params"] or "{}").get("heuristics", {})
    kinds = {name: h.entity for name, h in catalog.items() if not ran or name in ran}
    persons = sorted({s["entity_id"] for s in signals if s["entity_kind"] == "person"})
    result = evaluate(signals, kinds, truth, held_accounts=held_accounts(driver, database,
                                                                         persons))
    result.update({"run_id": run_id, "as_of": as_of, "window_s": window_s,
                   "truth": str(truth_dir), "status": info["status"]})
    return result

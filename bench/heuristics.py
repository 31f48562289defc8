"""Benchmark the Cypher heuristics over a loaded world.

Runs every heuristic read-only (nothing is written) against the Neo4j the settings point
at, timing it, then once more under PROFILE for the plan's worst operators; with the
world's truth it adds precision and recall (also over the fraud not yet known). The
thresholds the heuristics derive from the data are measured once and written with the
results, beside the data's calibration. `--window-days 0` looks over the whole of the data.

    FRAUDGRAPH_VAR_DIR=$PWD/var/bench-cypher FRAUDGRAPH_BOLT_PORT=7690 \
    FRAUDGRAPH_HTTP_PORT=7477 .venv/bin/python bench/heuristics.py \
        --out var/bench/heuristics.json --world var/worlds/w200k-s7 --window-days 180
    ... --baseline var/bench/heuristics.json --only transfer_cycle --no-profile
    ... --out var/bench/heuristics-amlsim.json --world var/amlsim/feeds --window-days 0
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from cypher.calibration import calibrate
from cypher.detect import DAY_S, resolve_as_of, whole_window
from cypher.errors import QueryFailedError
from cypher.evaluate import build_truth, evaluate
from cypher.evaluate_run import held_accounts
from cypher.heuristics import load_heuristics, parse_overrides, resolve_params, run_heuristic
from cypher.params import parse_ts
from cypher.profiling import summarise
from fraudgraph.db import open_driver
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import load_settings
from generator.truth_reader import read_scheme_spans, read_truth

log = logging.getLogger("bench.heuristics")
TARGET_S = 120.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="JSON results file")
    ap.add_argument("--world", type=Path, help="the loaded world's directory (for DIR/truth)")
    ap.add_argument("--baseline", type=Path, help="an earlier --out file to compare with")
    ap.add_argument("--window-days", type=float, default=30.0,
                    help="look-back window (0: the whole of the data)")
    ap.add_argument("--as-of", help="ISO time (default: the newest transfer)")
    ap.add_argument("--only", nargs="*", help="run only these heuristics")
    ap.add_argument("--param", action="append", default=[], help="heuristic.name=value")
    ap.add_argument("--no-profile", action="store_true", help="skip the PROFILE runs")
    ap.add_argument("--timeout-s", type=float, default=300.0, help="per heuristic")
    return ap.parse_args(argv)


def _compare(results: dict[str, Any], baseline: Path) -> dict[str, Any]:
    base = json.loads(baseline.read_text()).get("heuristics", {})
    out: dict[str, Any] = {}
    for name, r in results.items():
        b = base.get(name)
        if b and b.get("seconds") and r.get("seconds") is not None:
            out[name] = {"seconds_before": b["seconds"], "seconds_now": r["seconds"],
                         "speedup": round(b["seconds"] / max(r["seconds"], 1e-6), 2),
                         "hits_before": b.get("hits"), "hits_now": r.get("hits")}
    return out


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    a = _args(argv)
    s = load_settings()
    catalog = load_heuristics()
    if a.only:
        catalog = {k: v for k, v in catalog.items() if k in a.only}
    params = resolve_params(catalog, parse_overrides(a.param))
    results: dict[str, Any] = {}
    signals: list[dict[str, str]] = []
    with open_driver(s) as driver:
        db = s.neo4j_database
        as_of = resolve_as_of(driver, db, parse_ts(a.as_of) if a.as_of else None)
        window_s = (int(a.window_days * DAY_S) if a.window_days > 0
                    else whole_window(driver, db, as_of))
        t0 = time.monotonic()
        cal = calibrate(driver, db, as_of=as_of, window_s=window_s)
        calibration_s = round(time.monotonic() - t0, 3)
        for name, h in tqdm(catalog.items(), desc="heuristics", unit="heuristic"):
            r: dict[str, Any] = {"entity": h.entity, "params": params[name]}
            try:
                run = run_heuristic(driver, db, h, params[name], as_of=as_of,
                                    window_s=window_s, timeout_s=a.timeout_s,
                                    calibration=cal)
            except QueryFailedError as e:
                log.error("%s", e)
                results[name] = {**r, "error": str(e), "seconds": None}
                continue
            r.update(seconds=round(run.seconds, 3), hits=len(run.hits), rows=run.rows,
                     params=run.params, thresholds=run.derived)
            signals += [{"heuristic": name, "entity_kind": x.entity_kind,
                         "entity_id": x.entity_id} for x in run.hits]
            if not a.no_profile:
                prof = run_heuristic(driver, db, h, params[name], as_of=as_of,
                                     window_s=window_s, profile=True, timeout_s=a.timeout_s,
                                     calibration=cal)
                r["profile_seconds"] = round(prof.seconds, 3)
                r["profile"] = summarise(prof.profile)
            log.info("%s: %d hits in %.2fs", name, r["hits"], r["seconds"])
            results[name] = r
        persons = sorted({x["entity_id"] for x in signals if x["entity_kind"] == "person"})
        held = held_accounts(driver, db, persons)
    total = calibration_s + sum(r["seconds"] or 0.0 for r in results.values())
    out: dict[str, Any] = {
        "world": str(a.world) if a.world else None, "as_of": as_of, "window_s": window_s,
        "calibration": cal.summary(), "calibration_seconds": calibration_s,
        "total_seconds": round(total, 3), "target_seconds": TARGET_S,
        "within_target": total < TARGET_S and all(r.get("seconds") is not None
                                                 for r in results.values()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "neo4j_uri": s.local_uri if s.managed else s.neo4j_uri},
        "heuristics": results,
    }
    if a.world:
        pseudo = Pseudonymiser(s.pseudonym_key.get_secret_value())
        truth_dir = a.world / "truth"
        truth = build_truth(read_truth(truth_dir, pseudo), as_of=as_of, window_s=window_s,
                            spans=read_scheme_spans(truth_dir))
        ev = evaluate(signals, {n: h.entity for n, h in catalog.items()}, truth,
                      held_accounts=held)
        for name, m in ev["heuristics"].items():
            results.setdefault(name, {}).update(
                {k: m[k] for k in ("precision", "recall", "precision_unknown",
                                   "recall_unknown", "true_positives", "low_precision")})
        out["union"] = ev["union"]
        out["low_precision"] = ev["low_precision"]
    if a.baseline:
        out["baseline"] = _compare(results, a.baseline)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(out, indent=2, default=str))
    log.info("total %.1fs over %d heuristics -> %s", total, len(results), a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

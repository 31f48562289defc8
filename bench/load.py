"""Load throughput benchmark: the batched loader against a naive per-row MERGE baseline.

    .venv/bin/python bench/load.py --out var/bench/load.json [--sizes 100000,1000000]
                                   [--baseline-rows 5000] [--baseline FILE]
                                   [--writers N] [--ceiling] [--bulk]

For each size it writes a synthetic feed (accounts + transfers, valid KZ IBANs), starts a
dedicated Neo4j instance (var/bench-load, port 7693), and measures:
- the batched load through `fraudgraph load` in a child process (nodes/s for accounts,
  relationships/s for transfers, the child's peak RSS);
- the baseline: one MERGE per row through the same driver, on the first
  `--baseline-rows` transfers of the same file, on an empty graph (a full 1M-row naive
  run would take most of an hour; its rate is stable after a few thousand rows);
- with --bulk, the same feed through `fraudgraph load --bulk` (neo4j-admin import) end to
  end, against the batched load's end-to-end rate in the same run;
- with --ceiling, Neo4j's own rate for the loader's CREATE statement and writers on
  batches built beforehand: the most any loader could reach on this box.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import logging
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from neo4j import Driver

from cypher.graph_schema import apply_schema, reset_data
from fraudgraph.db import make_driver
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from graph_loader.feeds import FEEDS_BY_NAME, ShapeContext, transfers
from graph_loader.load import batch_params, cypher
from graph_loader.writer import Writers

log = logging.getLogger("bench.load")
ENV = {
    "FRAUDGRAPH_VAR_DIR": str(REPO / "var" / "bench-load"),
    "FRAUDGRAPH_BOLT_PORT": "7693",
    "FRAUDGRAPH_HTTP_PORT": "7480",
    "FRAUDGRAPH_HEAP_SIZE": "4g",
    "FRAUDGRAPH_PAGECACHE_SIZE": "4g",
}


def kz_iban(n: int) -> str:
    bban = f"{100 + n % 20:03d}{n:013d}"
    digits = "".join(str(int(c, 36)) for c in bban + "KZ00")
    return f"KZ{98 - int(digits) % 97:02d}{bban}"


def write_feed(d: Path, n_transfers: int, seed: int = 1) -> int:
    d.mkdir(parents=True, exist_ok=True)
    n_acc = max(1000, n_transfers // 10)
    rng = random.Random(seed)
    with open(d / "accounts.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["iban", "bank", "holder_iin", "opened_at", "kind"])
        for i in range(n_acc):
            w.writerow(
                [
                    kz_iban(i),
                    f"BANK{i % 20:02d}",
                    f"{900101000000 + i // 2:012d}",
                    "2025-01-01T00:00:00+05:00",
                    "personal",
                ]
            )
    with open(d / "transfers.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["tx_id", "from_iban", "to_iban", "amount_kzt", "at", "channel", "interbank"])
        for t in range(n_transfers):
            a = int(rng.paretovariate(1.2)) % n_acc
            b = rng.randrange(n_acc)
            if a == b:
                b = (b + 1) % n_acc
            w.writerow(
                [
                    f"tx{t}",
                    kz_iban(a),
                    kz_iban(b),
                    f"{rng.randint(100, 500000)}",
                    f"2026-0{1 + t % 9}-{1 + t % 28:02d}T{t % 24:02d}:00:00+05:00",
                    "app",
                    "true" if t % 3 == 0 else "false",
                ]
            )
    return n_acc


def batched(world: Path, settings: Settings, tag: str) -> dict[str, Any]:
    driver = make_driver(settings)
    reset_data(driver, settings.neo4j_database)
    apply_schema(driver, settings.neo4j_database)
    driver.close()
    report = REPO / "var" / "bench-load" / f"report-{tag}.json"
    t0 = time.monotonic()
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "fraudgraph"), "load", str(world), "--report", str(report)],
        env={**os.environ, **ENV},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.monotonic() - t0
    rep = json.loads(report.read_text())
    files = {f["feed"]: f for f in rep["files"]}
    acc, tr = files["accounts"], files["transfers"]
    nodes = rep["graph_nodes"]["Account"] + rep["graph_nodes"]["Person"]
    rels = rep["graph_relationships"]["TRANSFERRED"]
    return {
        "wall_seconds": round(wall, 2),
        "accounts_seconds": acc["seconds"],
        "transfers_seconds": tr["seconds"],
        "nodes": nodes,
        "rels": rels,
        "rels_total": sum(rep["graph_relationships"].values()),
        "nodes_per_s": round(nodes / acc["seconds"], 1),
        "rels_per_s": round(rels / tr["seconds"], 1),
        # The loader's own peak (sampled every 10,000 rows): getrusage's children maximum
        # would also count a Neo4j this process started and a bulk load stopped.
        "peak_rss_mb": rep["peak_rss_mb"],
        "rejected": rep["totals"]["rejected"],
    }


def bulk(world: Path, settings: Settings, tag: str) -> dict[str, Any]:
    """`fraudgraph load --bulk` into the emptied database, end to end: feed files to a
    queryable graph (validation, import files, neo4j-admin, server restart, schema)."""
    driver = make_driver(settings)
    reset_data(driver, settings.neo4j_database)
    driver.close()
    report = REPO / "var" / "bench-load" / f"report-bulk-{tag}.json"
    t0 = time.monotonic()
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "fraudgraph"), "load", str(world), "--bulk",
         "--report", str(report)],
        env={**os.environ, **ENV}, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    rep = json.loads(report.read_text())
    rels = sum(rep["graph_relationships"].values())
    return {
        "wall_seconds": round(wall, 2),
        "steps_seconds": rep["bulk"]["seconds"],
        "rels": rels,
        "nodes": sum(rep["graph_nodes"].values()) - rep["graph_nodes"].get("External", 0),
        "rels_per_s_end_to_end": round(rels / wall, 1),
        "peak_rss_mb": rep["peak_rss_mb"],  # as the batched load's (above)
        "rejected": rep["totals"]["rejected"],
    }


def _prepared(world: Path, settings: Settings) -> tuple[Driver, Iterator[dict[str, object]]]:
    """An empty graph holding only the feed's accounts (loaded batched, not timed: the
    measured statements MATCH them), and the feed's transfers shaped as the loader does."""
    from datetime import UTC, datetime

    driver = make_driver(settings)
    reset_data(driver, settings.neo4j_database)
    apply_schema(driver, settings.neo4j_database)
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "fraudgraph"), "load", str(world / "acc")],
        env={**os.environ, **ENV}, check=True, stdout=subprocess.DEVNULL,
    )
    ctx = ShapeContext(now=datetime.now(UTC),
                       pseudo=Pseudonymiser(settings.pseudonym_key.get_secret_value()))

    def rows() -> Iterator[dict[str, object]]:
        with open(world / "transfers.csv", newline="") as fh:
            for r in csv.DictReader(fh):
                yield transfers(r, ctx).row

    return driver, rows()


def baseline(world: Path, settings: Settings, rows: int) -> float:
    """One MERGE per row, same statement and driver, on an empty graph."""
    driver, shaped_rows = _prepared(world, settings)
    feed = FEEDS_BY_NAME["transfers"]
    shaped = list(itertools.islice(shaped_rows, rows))
    t0 = time.monotonic()
    for row in shaped:
        driver.execute_query(cypher("transfers"), batch_params(feed, [row]),
                             database_=settings.neo4j_database)
    took = time.monotonic() - t0
    driver.close()
    return rows / took


def ceiling(world: Path, settings: Settings, writers: int, batch_size: int = 10000) -> float:
    """Neo4j's own rate for the loader's statement and writers, without the loader: the
    batches are validated and built first (untimed), then only written. What the loader
    reaches is bounded by this on the same box."""
    driver, shaped_rows = _prepared(world, settings)
    feed = FEEDS_BY_NAME["transfers"]
    batches: list[dict[str, object]] = []
    rows = 0
    while chunk := list(itertools.islice(shaped_rows, batch_size)):
        batches.append(batch_params(feed, chunk))
        rows += len(chunk)
    t0 = time.monotonic()
    out = Writers(driver, settings.neo4j_database, writers)
    for params in batches:
        out.put(cypher("transfers_create"), params, None, None)
    out.close()
    took = time.monotonic() - t0
    driver.close()
    return rows / took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--baseline-rows", type=int, default=5000)
    ap.add_argument("--baseline", type=Path, help="an earlier result JSON to compare with")
    ap.add_argument("--ceiling", action="store_true",
                    help="also measure Neo4j's rate for prebuilt batches (no validation)")
    ap.add_argument("--bulk", action="store_true",
                    help="also load the same feed with --bulk (neo4j-admin import)")
    ap.add_argument("--writers", type=int, default=None,
                    help="concurrent writer transactions of the loader (FRAUDGRAPH_LOAD_WRITERS)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.writers is not None:
        ENV["FRAUDGRAPH_LOAD_WRITERS"] = str(args.writers)
    os.environ.update(ENV)
    settings = Settings()
    server = Neo4jServer(settings)
    _, msg = server.start()
    log.info(msg)
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count(),
                                              "loadavg_before": os.getloadavg()},
                                  "writers": settings.load_writers, "sizes": {}}
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            world = REPO / "var" / "bench-load" / f"feed-{size}"
            if not (world / "transfers.csv").exists():
                log.info("writing feed with %d transfers", size)
                write_feed(world, size)
                (world / "acc").mkdir(exist_ok=True)
                (world / "acc" / "accounts.csv").write_bytes((world / "accounts.csv").read_bytes())
            log.info("baseline: %d per-row MERGEs", args.baseline_rows)
            base = baseline(world, settings, args.baseline_rows)
            log.info("batched load of %d transfers", size)
            res = batched(world, settings, str(size))
            res["baseline_rels_per_s"] = round(base, 1)
            res["baseline_rows"] = args.baseline_rows
            res["ratio"] = round(float(res["rels_per_s"]) / base, 1)
            if args.ceiling:
                log.info("ceiling: prebuilt batches, %d writer(s)", settings.load_writers)
                top = ceiling(world, settings, settings.load_writers, settings.batch_size)
                res["neo4j_ceiling_rels_per_s"] = round(top, 1)
                res["share_of_ceiling"] = round(float(res["rels_per_s"]) / top, 3)
            if args.bulk:
                log.info("bulk load of %d transfers", size)
                b = bulk(world, settings, str(size))
                online_e2e = float(res["rels_total"]) / float(res["wall_seconds"])
                b["online_rels_per_s_end_to_end"] = round(online_e2e, 1)
                b["speedup_over_online"] = round(float(b["rels_per_s_end_to_end"])
                                                 / online_e2e, 2)
                res["bulk"] = b
            results["sizes"][str(size)] = res  # type: ignore[index]
            log.info("%d: %s", size, res)
    finally:
        server.stop()
    if args.baseline and args.baseline.exists():
        old = json.loads(args.baseline.read_text())
        results["comparison"] = {
            k: {"rels_per_s_ratio": round(v["rels_per_s"] / old["sizes"][k]["rels_per_s"], 3)}
            for k, v in results["sizes"].items()  # type: ignore[attr-defined]
            if k in old.get("sizes", {})
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    log.info("wrote %s", args.out)


if __name__ == "__main__":
    main()

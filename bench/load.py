"""Load throughput benchmark: the batched loader against a naive per-row MERGE baseline.

    .venv/bin/python bench/load.py --out var/bench/load.json [--sizes 100000,1000000]
                                   [--baseline-rows 5000] [--baseline FILE]
                                   [--writers N] [--ceiling] [--bulk]
                                   [--stream [RATE:SECONDS]]

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
  batches built beforehand: the most any loader could reach on this box;
- with --stream, the live Kafka stream into the same graph (see `stream`).
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


def _run_load(world: Path, report: Path, *extra: str
              ) -> tuple[float, dict[str, Any]]:
    """`fraudgraph load` in a child process: its wall time and its report."""
    t0 = time.monotonic()
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "fraudgraph"), "load", str(world), *extra,
         "--report", str(report)],
        env={**os.environ, **ENV}, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0, json.loads(report.read_text())


def batched(world: Path, settings: Settings, tag: str) -> dict[str, Any]:
    driver = make_driver(settings)
    reset_data(driver, settings.neo4j_database)
    apply_schema(driver, settings.neo4j_database)
    driver.close()
    wall, rep = _run_load(world, REPO / "var" / "bench-load" / f"report-{tag}.json")
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
    wall, rep = _run_load(world,
                          REPO / "var" / "bench-load" / f"report-bulk-{tag}.json", "--bulk")
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


def stream(world: Path, settings: Settings, rate: int, seconds: float) -> dict[str, object]:
    """--stream: `fraudgraph stream` (a child process) on the Kafka broker, into the graph
    the batched load left (its accounts are the streamed transfers' counterparties).

    - live: transfers produced at `rate` events/s for `seconds`, each stamped now; the
      consumer's produce-to-commit latency p50/p99 (a committed transfer is what the
      pre-payment check reads), events/s sustained, and lost / read-twice counted against
      the produced set; and, from outside the consumer, one event a second looked up in
      the graph until found (probe_visible_p50_s / _max_s);
    - drain: as many events produced first, then the consumer's own rate catching up.
    The managed broker runs on FRAUDGRAPH_KAFKA_PORT (default here 9096) under
    var/bench-load/kafka; with KAFKA_BOOTSTRAP_SERVERS that cluster is used."""
    import threading
    from datetime import UTC, datetime

    from fraudgraph.kafka_server import KafkaServer
    from graph_loader.topics import EventProducer, ensure_topics

    port = int(os.environ.get("FRAUDGRAPH_KAFKA_PORT", "9096"))
    prefix = f"bench{int(time.time())}."
    ks = settings.model_copy(update={
        "kafka_port": port, "kafka_controller_port": int(
            os.environ.get("FRAUDGRAPH_KAFKA_CONTROLLER_PORT", str(port + 1))),
        "stream_topic_prefix": prefix})
    kafka = KafkaServer(ks)
    started = ks.kafka_managed and kafka.start()[0]
    env = {**os.environ, **ENV, "FRAUDGRAPH_KAFKA_PORT": str(ks.kafka_port),
           "FRAUDGRAPH_STREAM_TOPIC_PREFIX": prefix, "FRAUDGRAPH_STREAM_METRICS_PORT": "0"}
    with open(world / "accounts.csv") as fh:
        n_acc = sum(1 for _ in fh) - 1
    rng = random.Random(5)
    driver = make_driver(settings)

    def event(tag: str, i: int) -> dict[str, str]:
        a = int(rng.paretovariate(1.2)) % n_acc
        b = (a + 1 + rng.randrange(n_acc - 1)) % n_acc
        return {"tx_id": f"{tag}{i}", "from_iban": kz_iban(a), "to_iban": kz_iban(b),
                "amount_kzt": str(rng.randint(100, 500000)),
                "at": datetime.now(UTC).isoformat(timespec="seconds"), "channel": "app",
                "interbank": "true" if i % 3 == 0 else "false"}

    def in_graph(tag: str) -> int:
        recs, _, _ = driver.execute_query(
            "MATCH ()-[t:TRANSFERRED]->() WHERE t.tx_id STARTS WITH $p RETURN count(t) AS n",
            p=tag, database_=settings.neo4j_database)
        return int(recs[0]["n"])

    def consumer(tag: str) -> subprocess.Popen[bytes]:
        report = REPO / "var" / "bench-load" / f"stream-{tag}.json"
        report.unlink(missing_ok=True)
        return subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "fraudgraph"), "stream", "--idle-exit", "3",
             "--report", str(report)], env=env, stdout=subprocess.DEVNULL)

    def finish(proc: subprocess.Popen[bytes], tag: str, produced: int) -> dict[str, object]:
        proc.wait(timeout=600)
        rep = json.loads((REPO / "var" / "bench-load" / f"stream-{tag}.json").read_text())
        landed = in_graph(tag)
        busy = float(rep["busy_seconds"]) or float("nan")
        return {"produced": produced, "in_graph": landed, "lost": produced - landed,
                "read_twice": int(rep["consumed"]) - produced - (1 if tag == "sl" else 0),  # + warm
                "skipped": rep["skipped"], "events_per_s": round(int(rep["loaded"]) / busy, 1),
                "visible_p50_s": rep["visible_p50_s"], "visible_p99_s": rep["visible_p99_s"],
                "batches": rep["batches"]}

    out: dict[str, object] = {"rate": rate, "seconds": seconds, "topic_prefix": prefix}
    try:
        ensure_topics(ks)
        prod = EventProducer(ks, linger_ms=5)
        # live: the consumer first (warmed up by one event), then paced production
        proc = consumer("sl")
        prod.send("transfers", event("warm", 0))
        prod.flush()
        deadline = time.monotonic() + 60
        while in_graph("warm") < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        n = int(rate * seconds)
        # An outside probe: every `rate`-th event is looked up in the graph (its tx_id
        # index) until found, from the moment it was handed to the producer.
        probes: list[tuple[str, float]] = []
        seen_after: list[float] = []
        done = threading.Event()

        def probe() -> None:
            while not done.is_set() or probes:
                if not probes:
                    time.sleep(0.01)
                    continue
                tx_id, t_sent = probes[0]
                recs, _, _ = driver.execute_query(
                    "MATCH ()-[t:TRANSFERRED {tx_id: $id}]->() RETURN count(t) AS n",
                    id=tx_id, database_=settings.neo4j_database)
                if recs[0]["n"]:
                    seen_after.append(time.monotonic() - t_sent)
                    probes.pop(0)
                else:
                    time.sleep(0.01)

        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        t0 = time.monotonic()
        sent = 0
        while sent < n:  # in ticks of 10 ms: the events due by now
            due = min(n, int((time.monotonic() - t0) * rate) + 1)
            for i in range(sent, due):
                prod.send("transfers", event("sl", i))
                if i % rate == 0:
                    probes.append((f"sl{i}", time.monotonic()))
            sent = due
            time.sleep(0.01)
        prod.flush()
        produce_rate = round(n / (time.monotonic() - t0), 1)
        done.set()
        live = finish(proc, "sl", n)
        prober.join(60)
        live["produce_rate"] = produce_rate
        ordered = sorted(seen_after)
        live["probe_events"] = len(ordered)
        if ordered:
            live["probe_visible_p50_s"] = round(ordered[len(ordered) // 2], 4)
            live["probe_visible_max_s"] = round(ordered[-1], 4)
        out["live"] = live
        log.info("stream live: %s", live)
        # drain: everything produced first
        for i in range(n):
            prod.send("transfers", event("sd", i))
        prod.flush()
        drain = finish(consumer("sd"), "sd", n)
        drain.pop("visible_p50_s")
        drain.pop("visible_p99_s")
        out["drain"] = drain
        log.info("stream drain: %s", drain)
    finally:
        driver.close()
        if started:
            kafka.stop()
    return out


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
    ap.add_argument("--stream", nargs="?", const="2000:60", metavar="RATE:SECONDS",
                    help="also stream transfers through Kafka (default 2000 events/s for 60 s)")
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
            if args.stream:
                rate, secs = args.stream.split(":")
                res["stream"] = stream(world, settings, int(rate), float(secs))
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

"""Benchmark the investigators' alert queue at volume: the workbench's queue page and the
API behind it, on a real Neo4j holding 50, 10,000 and 100,000 alerts.

A dedicated Neo4j (var/bench-queue, port 7696) is emptied and given the schema; synthetic
alerts (`synthetic_alerts`: the properties `casework` writes, mixed statuses, bands,
kinds, schemes, one to three of ten banks, 30 days of raise times) are added in steps
up to each size. At each size, with the real API app served by uvicorn on a loopback
port:

- the API alone: ``GET /v1/alerts`` (first page of 50 by priority; and a bank's own
  queue, filtered by band and sorted by money) timed from this process, ``--reps`` each;
- the page: Debian's headless Chromium reloads ``/ui/#/queue`` signed in as an AFC
  analyst, timed from the navigation until the count and the first page's rows are
  drawn, plus the page's own API-and-render time (``data-load-ms``).

The smallest size (one page of alerts) is the baseline of the same run: the JSON gives
each size's p50/p95 and its ratio to the baseline, against the issue's 1 s target at
10,000 open alerts.

    .venv/bin/python bench/alert_queue.py --out var/bench/queue.json
    .venv/bin/python bench/alert_queue.py --out new.json --baseline var/bench/queue.json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# First on the path: this script's folder would otherwise shadow the api package.
sys.path.insert(0, str(REPO))

import httpx
import numpy as np
import uvicorn

from api.app import create_app
from api.config import ApiConfig
from api.keys import create_key
from api.ui import VENDOR_FILE
from casework.alert_store import ensure_schema
from cypher import statement
from cypher.graph_schema import apply_schema, reset_data
from fraudgraph.db import make_driver
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.settings import Settings

log = logging.getLogger("bench.alert_queue")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TARGET_MS = 1000.0
TARGET_SIZE = 10_000
PAGE = 50
BANKS = ["KASPI", "HALYK", "FORTE", "BCC", "JUSAN", "HOME", "RBK", "EUBANK", "BEREKE", "OTBASY"]
KINDS = ["account"] * 7 + ["person", "phone", "device", "cluster"]
SCHEMES = [None, None, "phone_fraud", "fake_investment", "dropper", "gambling", "drugs"]
STATUSES = ["open"] * 17 + ["in_case", "dismissed", "closed"]
BANDS = [("critical", 0.85), ("high", 0.6), ("medium", 0.3), ("low", 0.0)]
ADD_BATCH = 5000
T0 = 1_780_000_000  # 2026-05-28, any fixed day


def synthetic_alerts(start: int, count: int, seed: int) -> list[dict[str, Any]]:
    """Alerts ``start .. start+count-1`` as `casework` stores them (pure; deterministic per
    seed and index, so a size reached in steps holds the same alerts as one reached at
    once)."""
    rows = []
    for i in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + i)
        kind = rng.choice(KINDS)
        risk = round(rng.random() ** 2, 4)
        band = next(name for name, lo in BANDS if risk >= lo)
        money = round(rng.lognormvariate(12.0, 1.5), 2)
        entity = f"clu_{i:08d}" if kind == "cluster" else f"{kind[:3]}_{i:032x}"
        row: dict[str, Any] = {
            "id": f"alr_{i:012d}", "status": rng.choice(STATUSES), "entity_kind": kind,
            "entity_id": entity, "entity_key": f"{kind}:{entity}",
            "priority": round(risk * 10 + np.log1p(money) / 2, 3),
            "banks": rng.sample(BANKS, rng.choice([1, 1, 1, 2, 3])), "band": band,
            "risk": risk, "money_kzt": money, "reasons": [f"risk band {band}"],
            "heuristics": rng.sample(["fan_in", "fan_out", "cycle", "shared_device"],
                                     rng.randrange(3)),
            "clusters": [], "raised_ts": T0 + rng.randrange(30 * 86400), "current": True}
        scheme = rng.choice(SCHEMES)
        if scheme:
            row["scheme"] = scheme
        rows.append(row)
    return rows


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ApiThread:
    """The real API app under uvicorn in a background thread, for the browser."""

    def __init__(self, settings: Settings, audit_dir: Path) -> None:
        app = create_app(settings, config=ApiConfig(audit_dir=audit_dir))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ApiThread:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise SystemExit(f"the API did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def percentiles(ms: list[float]) -> dict[str, Any]:
    a = np.asarray(ms)
    return {"p50": round(float(np.percentile(a, 50)), 1),
            "p95": round(float(np.percentile(a, 95)), 1), "mean": round(float(a.mean()), 1),
            "min": round(float(a.min()), 1), "max": round(float(a.max()), 1)}


def time_api(base: str, token: str, params: dict[str, Any], reps: int) -> dict[str, Any]:
    ms, total = [], None
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as client:
        client.get("/v1/alerts", params=params).raise_for_status()  # the plan, compiled once
        for _ in range(reps):
            t = time.perf_counter()
            r = client.get("/v1/alerts", params=params)
            ms.append((time.perf_counter() - t) * 1000)
            r.raise_for_status()
            total = r.json()["total"]
    return {"params": params, "total": total, "ms": percentiles(ms)}


WAIT_DRAWN = """(rows) => {
  const t = document.querySelector('#queue-table');
  return Boolean(t && t.dataset.loadMs && document.querySelector('#queue-count')
    && document.querySelectorAll('#queue-list tbody tr').length === rows);
}"""


def time_page(page: Any, base: str, rows: int, reps: int) -> dict[str, Any]:
    wall, own = [], []
    for i in range(reps + 1):  # the first load warms the browser's module cache
        # Away first: going to the same URL again would only be a hash change, no load.
        page.goto("about:blank")
        t = time.perf_counter()
        page.goto(base + "/ui/#/queue")
        page.wait_for_function(WAIT_DRAWN, arg=rows, timeout=30_000)
        if i:
            wall.append((time.perf_counter() - t) * 1000)
            own.append(float(page.get_attribute("#queue-table", "data-load-ms") or "nan"))
    count = page.inner_text("#queue-count")
    return {"ms": percentiles(wall), "page_load_ms": percentiles(own), "count_text": count}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    if not VENDOR_FILE.is_file():
        raise SystemExit(f"{VENDOR_FILE} missing: run `make ui`")
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    settings = Settings(env="development", var_dir=args.var_dir, bolt_port=args.bolt_port,
                        http_port=args.http_port, heap_size=args.heap,
                        pagecache_size=args.pagecache, neo4j_uri=None)
    server = Neo4jServer(settings)
    _started, msg = server.start()
    log.info("%s", msg)
    db = settings.neo4j_database
    results: list[dict[str, Any]] = []
    errors: list[str] = []
    load_before = list(os.getloadavg())
    driver = make_driver(settings)
    try:
        reset_data(driver, db)
        apply_schema(driver, db)
        ensure_schema(driver, db)
        # The participants, as the banks feed names them: a bank's key needs its bank.
        driver.execute_query(statement("load/banks"), rows=BANKS, database_=db)
        _, analyst = create_key(driver, db, "afc_analyst", None, "bench")
        _, bank = create_key(driver, db, "bank", BANKS[0], "bench")
        with ApiThread(settings, args.var_dir / "audit") as api, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(api.url + "/ui/")
            page.fill("#signin-key", analyst)
            page.press("#signin-key", "Enter")
            page.wait_for_selector("#who:not([hidden])")
            have = 0
            for size in sizes:
                t = time.perf_counter()
                while have < size:
                    n = min(ADD_BATCH, size - have)
                    driver.execute_query(statement("bench/alerts_add"),
                                         rows=synthetic_alerts(have, n, args.seed),
                                         database_=db)
                    have += n
                recs, _, _ = driver.execute_query(statement("bench/alerts_count"),
                                                  database_=db)
                held = int(recs[0]["alerts"])
                log.info("%d alerts in the graph (added in %.1f s)", held,
                         time.perf_counter() - t)
                first = time_api(api.url, analyst, {"limit": PAGE}, args.reps)
                row: dict[str, Any] = {
                    "alerts": held,
                    "api_first_page": first,
                    "api_bank_filtered": time_api(
                        api.url, bank, {"limit": PAGE, "band": "high", "sort": "money"},
                        args.reps),
                    # The page's default view (open and in a case) is the API's.
                    "page": time_page(page, api.url, min(PAGE, int(first["total"])),
                                      args.reps),
                }
                log.info("%d alerts: page p50 %.0f ms, p95 %.0f ms; API p50 %.1f ms", held,
                         row["page"]["ms"]["p50"], row["page"]["ms"]["p95"],
                         row["api_first_page"]["ms"]["p50"])
                results.append(row)
            version = browser.version
            browser.close()
    finally:
        driver.close()
        if not args.keep_neo4j:
            server.stop()
    base = results[0]
    for r in results:
        r["ratio_to_baseline"] = {
            "page_p50": round(r["page"]["ms"]["p50"] / base["page"]["ms"]["p50"], 3),
            "api_p50": round(r["api_first_page"]["ms"]["p50"]
                             / base["api_first_page"]["ms"]["p50"], 3)}
    at_target = [r for r in results if r["alerts"] >= TARGET_SIZE]
    return {
        "benchmark": "alert-queue", "sizes": sizes, "reps": args.reps, "seed": args.seed,
        "baseline_size": base["alerts"], "results": results,
        "target": {"alerts": TARGET_SIZE, "page_p95_ms_below": TARGET_MS,
                   "met": bool(at_target) and at_target[0]["page"]["ms"]["p95"] < TARGET_MS},
        "console_errors": errors, "chromium": version,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "loadavg_before": load_before, "loadavg_after": list(os.getloadavg())},
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def compare(result: dict[str, Any], baseline: Path) -> dict[str, Any]:
    """Per size present in both: this run's page and API p50 against the earlier file's."""
    old = {r["alerts"]: r for r in json.loads(baseline.read_text())["results"]}
    out: dict[str, Any] = {"file": str(baseline), "sizes": {}}
    for r in result["results"]:
        o = old.get(r["alerts"])
        if o is not None:
            out["sizes"][str(r["alerts"])] = {
                "page_p50_ratio": round(r["page"]["ms"]["p50"] / o["page"]["ms"]["p50"], 3),
                "api_p50_ratio": round(r["api_first_page"]["ms"]["p50"]
                                       / o["api_first_page"]["ms"]["p50"], 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="JSON result file")
    ap.add_argument("--sizes", default="50,10000,100000",
                    help="alert counts, comma-separated; the smallest is the baseline")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--var-dir", type=Path, default=REPO / "var" / "bench-queue")
    ap.add_argument("--bolt-port", type=int, default=7696)
    ap.add_argument("--http-port", type=int, default=7483)
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--pagecache", default="512m")
    ap.add_argument("--keep-neo4j", action="store_true", help="leave the bench Neo4j running")
    ap.add_argument("--baseline", type=Path, default=None, help="an earlier --out to compare")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    result = run(a)
    if a.baseline is not None:
        result["compared_with"] = compare(result, a.baseline)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2))
    log.info("wrote %s", a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

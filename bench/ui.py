"""Benchmark the workbench's graph drawing: a generated neighbourhood of N nodes and 2N
edges injected into the page's own drawing function (api/static/ui/js/graph.js
`drawGraph`) in Debian's headless Chromium, timed with performance.now() from adding the
elements until Cytoscape's `layoutstop` and the first frame rendered after it.

The page's static files are served from api/static/ui by a loopback HTTP server; the
API and Neo4j are not involved (their cost is the API benchmark's).

    .venv/bin/python bench/ui.py --out var/bench-ui/ui.json
    .venv/bin/python bench/ui.py --out /tmp/u.json --nodes 1000 --layout cose
    .venv/bin/python bench/ui.py --out new.json --baseline var/bench-ui/ui.json
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import platform
import random
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# First on the path: this script's folder would otherwise shadow the api package.
sys.path.insert(0, str(REPO))

import numpy as np
import psutil
from playwright.sync_api import sync_playwright

from api.ui import STATIC_DIR, VENDOR_FILE

log = logging.getLogger("bench.ui")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TARGET_MS = 1000.0
KINDS = ["account"] * 6 + ["person", "phone", "device", "incident"]
TYPES = {"account": "TRANSFERRED", "person": "HOLDS", "phone": "HAS_PHONE", "device": "USED",
         "incident": "BENEFICIARY"}
# The size of the workbench's neighbourhood graph box at a 1400 px wide window.
BOX = (1100, 544)


def make_graph(nodes: int, edges: int, seed: int) -> dict[str, Any]:
    """A neighbourhood-like graph in the named-query shape: a random tree from node 0
    (the start) plus random extra links, no parallel edges, mixed kinds and risks."""
    rng = random.Random(seed)
    ids = [f"acc_{i:032x}" if i == 0 else f"n{i}" for i in range(nodes)]
    kinds = ["account"] + [rng.choice(KINDS) for _ in range(nodes - 1)]
    out_nodes = [{"id": ids[i], "labels": [kinds[i].capitalize()],
                  "props": {"risk": round(rng.random() ** 3, 3), "bank": "KASPI"}}
                 for i in range(nodes)]
    pairs: set[tuple[int, int]] = set()
    for i in range(1, nodes):
        pairs.add((rng.randrange(i), i))
    while len(pairs) < edges:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b and (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
    t0 = 1_780_000_000
    out_edges = []
    for k, (a, b) in enumerate(sorted(pairs)):
        kind = kinds[b] if kinds[b] != "account" else kinds[a]
        props = {"tx_id": f"t{k}", "ts": t0 + rng.randrange(30 * 86400)}
        if kind == "account":
            props["amount"] = float(rng.randrange(1_000, 5_000_000))
        out_edges.append({"type": TYPES[kind], "source": ids[a], "target": ids[b],
                          "props": props})
    return {"start": ids[0], "nodes": out_nodes, "edges": out_edges}


def serve_static() -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    handler = functools.partial(Quiet, directory=str(STATIC_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


DRAW = """async ([data, layout, w, h]) => {
  const g = await import('./js/graph.js');
  const old = document.getElementById('bench-box');
  if (old) { if (old.fgGraph) old.fgGraph.destroy(); old.remove(); }
  const box = document.createElement('div');
  box.id = 'bench-box';
  box.className = 'graph';
  box.style.width = w + 'px';
  box.style.height = h + 'px';
  document.body.prepend(box);
  const t0 = performance.now();
  const view = new g.GraphView(box);
  const t1 = performance.now();
  const opts = { start: data.start };
  if (layout !== 'auto') opts.layout = g.layoutOptions(layout === 'cose' ? 0 : 1e9, data.start);
  const r = await view.set(data, opts);
  return { ...r, init_ms: t1 - t0, total_ms: performance.now() - t0 };
}"""


def browser_cpu_s() -> float:
    """CPU seconds used so far by the browser's processes (descendants of this one, via
    Playwright's driver): unlike wall time, barely inflated by other load on the box."""
    total = 0.0
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" in p.name().lower():
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            continue
    return total


def percentile(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def run(nodes: int, edges: int, reps: int, layout: str, seed: int) -> dict[str, Any]:
    if not VENDOR_FILE.is_file():
        raise SystemExit(f"{VENDOR_FILE} missing: run `make ui`")
    graph = make_graph(nodes, edges, seed)
    server, base = serve_static()
    load_before = list(os.getloadavg())
    runs: list[dict[str, Any]] = []
    errors: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/index.html")
            page.wait_for_load_state("load")
            page.evaluate(DRAW, [graph, layout, *BOX])  # warm-up: JIT, fonts, canvases
            for i in range(reps):
                t, cpu = time.perf_counter(), browser_cpu_s()
                r = page.evaluate(DRAW, [graph, layout, *BOX])
                r["wall_ms"] = (time.perf_counter() - t) * 1000
                r["cpu_ms"] = (browser_cpu_s() - cpu) * 1000
                runs.append(r)
                log.info("rep %d: %.0f ms (%s, %d nodes, %d edges)", i + 1, r["ms"],
                         r["layout"], r["nodes"], r["edges"])
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
    ms = [r["ms"] for r in runs]
    return {
        "benchmark": "ui-graph-draw", "nodes": nodes, "edges": edges, "reps": reps,
        "layout_requested": layout, "layout": runs[0]["layout"] if runs else None,
        "drawn": {"nodes": runs[0]["nodes"], "edges": runs[0]["edges"]} if runs else None,
        "ms": {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "mean": float(np.mean(ms)),
               "min": min(ms), "max": max(ms), "all": [round(x, 1) for x in ms]},
        "init_ms_p50": percentile([r["init_ms"] for r in runs], 50),
        "browser_cpu_ms": {"p50": percentile([r["cpu_ms"] for r in runs], 50),
                           "p95": percentile([r["cpu_ms"] for r in runs], 95)},
        "wall_ms_p50": percentile([r["wall_ms"] for r in runs], 50),
        "target_ms": TARGET_MS, "meets_target": percentile(ms, 95) < TARGET_MS,
        "console_errors": errors, "chromium": version, "box_px": list(BOX),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "loadavg_after": list(os.getloadavg())},
        "loadavg_before": load_before,
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def compare(result: dict[str, Any], baseline: Path) -> dict[str, Any]:
    base = json.loads(baseline.read_text())
    return {"file": str(baseline), "p50": base["ms"]["p50"], "p95": base["ms"]["p95"],
            "p50_ratio": result["ms"]["p50"] / base["ms"]["p50"],
            "p95_ratio": result["ms"]["p95"] / base["ms"]["p95"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="JSON result file")
    ap.add_argument("--nodes", type=int, default=500)
    ap.add_argument("--edges", type=int, default=None, help="default: 2 x nodes")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--layout", choices=["auto", "cose", "concentric"], default="auto",
                    help="auto: what the page uses for this size")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline", type=Path, default=None, help="an earlier --out to compare")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    edges = a.edges if a.edges is not None else 2 * a.nodes
    result = run(a.nodes, edges, a.reps, a.layout, a.seed)
    if a.baseline is not None:
        result["baseline"] = compare(result, a.baseline)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n")
    log.info("p50 %.0f ms, p95 %.0f ms, browser CPU p50 %.0f ms (%s layout; target %.0f ms; "
             "load average %.1f) -> %s", result["ms"]["p50"], result["ms"]["p95"],
             result["browser_cpu_ms"]["p50"], result["layout"], TARGET_MS,
             result["loadavg_before"][0], a.out)
    return 0 if not result["console_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

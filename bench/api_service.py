"""Benchmark the AFC API: POST /v1/check (the pre-payment hot path) and GET risk.

Starts (or reuses) a bench Neo4j under var/bench-api, loads a generated world into it
once, creates an API key, runs uvicorn as a separate process and drives it from this
process over loopback with 100 concurrent clients (raw HTTP/1.1, or --client httpx). Phases:
saturation (closed loop: the most check requests a second the box sustains), the
target rate (open loop, default 300 req/s: latency percentiles counted from each
request's scheduled time), a sustainable rate (open loop at 60% of saturation), and
GET risk (closed loop for its saturation, then open loop at --risk-rate for its
latency). The client shares the cores with uvicorn and Neo4j (and with anything else
running), so CPU time per request of each process is reported too: the capacity of two
otherwise idle cores follows from it.

    .venv/bin/python bench/api_service.py --out var/bench-api/api.json
    .venv/bin/python bench/api_service.py --out /tmp/a.json --world var/worlds/w20k-cy --duration 20
    .venv/bin/python bench/api_service.py --out new.json --baseline var/bench-api/api.json
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import platform
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
# First on the path, always: this script's own folder would otherwise make `import api`
# find this file rather than the api package.
sys.path.insert(0, str(REPO))

from api.keys import create_key
from cypher import statement
from fraudgraph.db import make_driver
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import DEFAULT_PSEUDONYM_KEY, Settings

log = logging.getLogger("bench.api_service")
WORLDS = REPO / "var" / "worlds"
SAMPLE_ROWS = 300_000
_GRACE_S = 10.0  # an open-loop phase ends at most this long after its nominal end


def pick_world(explicit: Path | None) -> Path:
    """The given world, else w200k-s7, else the generated world with most accounts."""
    if explicit is not None:
        return explicit
    preferred = WORLDS / "w200k-s7"
    if (preferred / "transfers.csv").exists():
        return preferred
    best: tuple[int, Path] | None = None
    for manifest in WORLDS.glob("*/truth/manifest.json"):
        world = manifest.parent.parent
        if not (world / "transfers.csv").exists():
            continue
        n = int(json.loads(manifest.read_text()).get("accounts", 0))
        if best is None or n > best[0]:
            best = (n, world)
    if best is None:
        raise SystemExit(f"no generated CSV world under {WORLDS}")
    return best[1]


def bench_settings(args: argparse.Namespace) -> Settings:
    return Settings(env="development", var_dir=args.var_dir, bolt_port=args.bolt_port,
                    http_port=args.http_port, heap_size=args.heap, pagecache_size=args.pagecache,
                    neo4j_uri=None)


def env_for(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRAUDGRAPH_", "NEO4J_"))}
    env.update(FRAUDGRAPH_VAR_DIR=str(settings.var_dir),
               FRAUDGRAPH_BOLT_PORT=str(settings.bolt_port),
               FRAUDGRAPH_HTTP_PORT=str(settings.http_port),
               FRAUDGRAPH_API_AUDIT_DIR=str(settings.var_dir / "audit"))
    return env


def ensure_loaded(settings: Settings, world: Path) -> dict[str, Any]:
    """Load the world once; a Meta node remembers which world the bench graph holds."""
    driver = make_driver(settings)
    try:
        recs, _, _ = driver.execute_query(statement("bench/world_read"))
        if recs and recs[0]["w"] == str(world.resolve()):
            log.info("bench graph already holds %s", world)
        else:
            log.info("loading %s into the bench Neo4j (minutes)", world)
            t0 = time.monotonic()
            rc = subprocess.call([str(REPO / ".venv" / "bin" / "fraudgraph"), "load", str(world),
                                  "--report", str(settings.var_dir / "load-report.json")],
                                 env=env_for(settings))
            if rc not in (0, 3):  # 3: some rows rejected, which generated worlds may contain
                raise SystemExit(f"load failed with exit code {rc}")
            log.info("loaded in %.0f s", time.monotonic() - t0)
            driver.execute_query(statement("bench/world_mark"), w=str(world.resolve()))
        # An AFC key: the checks' payers are every bank's customers (a bank key may check
        # only its own, api/visibility.py), as in transaction anti-fraud at the national
        # payment system; the check's work is the same for either role.
        key_id, token = create_key(driver, settings.neo4j_database, "afc_analyst", None,
                                   "bench")
        _, ops_token = create_key(driver, settings.neo4j_database, "afc_analyst", None, "bench")
        counts, _, _ = driver.execute_query(statement("bench/graph_size"))
        return {"key_id": key_id, "token": token, "ops_token": ops_token, **counts[0].data()}
    finally:
        driver.close()


def _rows(path: Path, limit: int) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        out = []
        for i, row in enumerate(csv.DictReader(fh)):
            if i >= limit:
                break
            out.append(row)
        return out


def build_requests(world: Path, n: int, rng: random.Random) -> tuple[list[bytes], list[str]]:
    """Pre-serialised check bodies (a realistic mix) and account ids for risk look-ups."""
    manifest = json.loads((world / "truth" / "manifest.json").read_text())
    end = datetime.fromisoformat(manifest["end"])
    transfers = _rows(world / "transfers.csv", SAMPLE_ROWS)
    logins = _rows(world / "logins.csv", SAMPLE_ROWS)
    phones = _rows(world / "phones.csv", SAMPLE_ROWS)
    black = [r["entity_id"] for r in _rows(world / "list_entries.csv", 100_000)
             if r["entity_kind"] == "account" and r["list"] == "black"]
    devices: dict[str, list[str]] = {}
    for r in logins:
        devices.setdefault(r["iban"], []).append(r["device_id"])
    pairs = [(r["from_iban"], r["to_iban"]) for r in transfers]
    accounts = sorted({a for p in pairs for a in p})
    numbers: list[str | None] = [r["number"] for r in phones] or [None]
    bodies: list[bytes] = []
    for _ in range(n):
        payer, payee = rng.choice(pairs)
        roll = rng.random()
        if roll < 0.2:
            payee = rng.choice(accounts)  # probably a first payment
        elif roll < 0.3 and black:
            payee = rng.choice(black)
        own = devices.get(payer)
        device = (rng.choice(own) if own and rng.random() < 0.8
                  else f"bench-dev-{rng.randrange(10**6)}")
        at = end - timedelta(seconds=rng.randrange(30 * 86400))
        body = {"payer_account": payer, "payee_account": payee,
                "amount_kzt": round(rng.lognormvariate(10, 1.2), 2), "device_id": device,
                "phone": rng.choice(numbers) if rng.random() < 0.5 else None,
                "at": at.isoformat()}
        if payee == payer:
            continue
        bodies.append(json.dumps({k: v for k, v in body.items() if v is not None}).encode())
    # Pseudonyms: an address never carries a raw identifier (POST /v1/entities/lookup
    # takes raw ones, rate-limited per key).
    # The bench API and loader run with env_for's environment: the default key.
    pseudo = Pseudonymiser(DEFAULT_PSEUDONYM_KEY)
    risk_ids = [pseudo("account", a)
                for a in [rng.choice(accounts) for _ in range(2000)] + black[:200]]
    rng.shuffle(risk_ids)
    return bodies, risk_ids


def start_api(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", "api.server:app_from_env", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
           "--log-level", "warning", "--workers", str(workers)]
    # The bench measures capacity, not the per-key rate limits.
    env = {**env_for(settings), **{f"FRAUDGRAPH_API_RATE_{c}_{x}": "1000000"
                                   for c in ("CHECK", "DEFAULT") for x in ("PER_S", "BURST")}}
    proc = subprocess.Popen(cmd, cwd=REPO, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("uvicorn did not come up")


def _summary(lat: list[float], errors: int, statuses: Counter[str], elapsed: float
             ) -> dict[str, Any]:
    lat.sort()

    def q(p: float) -> float | None:
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 2) if lat else None

    return {"ok": len(lat), "errors": errors, "statuses": dict(statuses),
            "rps": round(len(lat) / elapsed, 1), "p50_ms": q(0.50), "p95_ms": q(0.95),
            "p99_ms": q(0.99), "max_ms": round(lat[-1] * 1000, 2) if lat else None}


async def drive(base: str, token: str, make: Any, concurrency: int, seconds: float,
                rate: float | None = None, raw: bool = False) -> dict[str, Any]:
    """`concurrency` clients for `seconds`; `make(i)` -> (method, url, body).

    rate None: closed loop (each client sends its next request when the last one is
    answered): the saturation throughput; latency is then mostly queueing
    (concurrency / throughput). rate R: open loop, the clients together send R requests
    a second on a fixed schedule, and latency counts from the scheduled time, so a slow
    answer that delays the next request is not hidden (no coordinated omission).

    Each client has its own one-connection httpx client: one shared pool of 100
    connections costs the load generator several ms of CPU per request, CPU that the
    server it measures then lacks on a two-core box. raw=True sends the same requests as
    plain HTTP/1.1 over a kept-alive socket per client, which costs the generator a
    tenth of httpx's CPU: what is left of the two cores goes to the server."""
    lat: list[float] = []
    # Worst latency per second of the phase: tells a steady tail from a stall.
    worst: dict[int, float] = {}
    statuses: Counter[str] = Counter()
    errors = 0
    counter = 0
    missed = 0  # open loop: requests still unsent when the phase was cut off
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    interval = concurrency / rate if rate else 0.0

    async def send_httpx(client: httpx.AsyncClient, method: str, url: str, body: bytes
                         ) -> int:
        r = await client.request(method, url, content=body)
        return r.status_code

    host, port = base.removeprefix("http://").split(":")
    auth = f"Authorization: Bearer {token}\r\nHost: {host}\r\n".encode()

    async def send_raw(conn: list[Any], method: str, url: str, body: bytes) -> int:
        if not conn:
            conn.extend(await asyncio.open_connection(host, int(port)))
        reader, writer = conn
        writer.write(f"{method} {url} HTTP/1.1\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\n".encode() + auth + b"\r\n" + body)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await reader.readexactly(length)
        return int(head[9:12])

    async def connect() -> tuple[httpx.AsyncClient, list[Any]]:
        client = httpx.AsyncClient(
            base_url=base, headers=headers, timeout=30.0,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1))
        conn: list[Any] = []
        if raw:
            conn.extend(await asyncio.open_connection(host, int(port)))
        else:
            await client.get("/health")  # opens the kept-alive connection
        return client, conn

    # Clients and connections first, the clock after: building 100 httpx clients takes
    # the generator about a second, which would otherwise count as the server's latency.
    clients = await asyncio.gather(*(connect() for _ in range(concurrency)))
    t_start = time.perf_counter()
    t_end = t_start + seconds

    async def one_client(k: int, client: httpx.AsyncClient, conn: list[Any]) -> None:
        nonlocal errors, counter, missed
        due = t_start + interval * k / concurrency
        try:
            while True:
                if rate:
                    due += interval
                    now = time.perf_counter()
                    if due > now:
                        await asyncio.sleep(due - now)
                t0 = due if rate else time.perf_counter()
                if t0 >= t_end:
                    break
                if rate and time.perf_counter() > t_end + _GRACE_S:
                    # The server fell behind the schedule; what is left is not sent.
                    missed += int((t_end - t0) / interval) + 1
                    break
                counter += 1
                method, url, body = make(counter)
                try:
                    status = await (send_raw(conn, method, url, body) if raw
                                    else send_httpx(client, method, url, body))
                    statuses[str(status)] += 1
                    if status == 200:
                        took = time.perf_counter() - t0
                        lat.append(took)
                        sec = int(t0 - t_start)
                        worst[sec] = max(worst.get(sec, 0.0), took)
                    else:
                        errors += 1
                except (httpx.HTTPError, OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    statuses["exception"] += 1
                    conn.clear()
        finally:
            await client.aclose()
            if conn:
                conn[1].close()

    await asyncio.gather(*(one_client(k, client, conn)
                           for k, (client, conn) in enumerate(clients)))
    out = _summary(lat, errors, statuses, time.perf_counter() - t_start)
    out["missed"] = missed
    out["worst_ms_per_second"] = [round(worst.get(i, 0.0) * 1000, 1)
                                  for i in range(int(seconds) + 1)]
    return out


def run(coro: Any) -> Any:
    """uvloop when installed: the load generator's own CPU cost matters on two cores."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def cpu_seconds(pids: list[int], *, children: bool = True) -> float:
    """User + system CPU seconds of these processes (and their children) so far."""
    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *(proc.children(recursive=True) if children else [])]:
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def server_histogram(base: str, token: str, route: str) -> dict[str, float]:
    """Cumulative bucket counts of the server-side latency histogram for one route."""
    text = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"}).text
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("fraudgraph_api_request_seconds_bucket") and f'route="{route}"' in line:
            le = line.split('le="')[1].split('"')[0]
            out[le] = float(line.rsplit(" ", 1)[1])
    return out


def histogram_quantile(before: dict[str, float], after: dict[str, float], q: float
                       ) -> float | None:
    """Upper bucket bound (ms) below which a fraction q of the requests in between fell."""
    bounds = sorted((float(k), after[k] - before.get(k, 0.0)) for k in after if k != "+Inf")
    total = after.get("+Inf", 0.0) - before.get("+Inf", 0.0)
    if total <= 0:
        return None
    for bound, count in bounds:
        if count >= q * total:
            return bound * 1000
    return float("inf")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--world", type=Path, default=None)
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--sustainable-fraction", type=float, default=0.6,
                   help="an open-loop phase at this fraction of the measured saturation")
    p.add_argument("--risk-duration", type=float, default=20.0)
    p.add_argument("--concurrency", type=int, default=100)
    p.add_argument("--rate", type=float, default=300.0,
                   help="check requests per second of the open-loop (latency) phase")
    p.add_argument("--risk-concurrency", type=int, default=20)
    p.add_argument("--risk-rate", type=float, default=100.0,
                   help="GET risk requests per second of its open-loop (latency) phase; a "
                        "closed loop measures only queueing (concurrency / throughput)")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    # raw by default: on two shared cores httpx's ~0.8 ms of CPU per request is capacity
    # taken from the server under test (its share is reported as cpu_ms_per_request).
    p.add_argument("--client", choices=("httpx", "raw"), default="raw",
                   help="load generator: raw HTTP/1.1 over kept-alive sockets (a tenth of "
                        "httpx's CPU), or httpx")
    p.add_argument("--baseline", type=Path, default=None)
    p.add_argument("--var-dir", type=Path, default=REPO / "var" / "bench-api")
    p.add_argument("--bolt-port", type=int, default=7691)
    p.add_argument("--http-port", type=int, default=7478)
    p.add_argument("--api-port", type=int, default=8091)
    p.add_argument("--heap", default="1g")
    p.add_argument("--pagecache", default="1500m")
    p.add_argument("--keep-neo4j", action="store_true", help="leave the bench Neo4j running")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    world = pick_world(args.world)
    settings = bench_settings(args)
    server = Neo4jServer(settings)
    _started, msg = server.start()
    log.info("%s", msg)
    api: subprocess.Popen[bytes] | None = None
    try:
        graph = ensure_loaded(settings, world)
        bodies, risk_ids = build_requests(world, 20_000, random.Random(args.seed))
        log.info("%d check bodies, %d risk ids from %s", len(bodies), len(risk_ids), world)
        api = start_api(settings, args.api_port, args.workers)
        base = f"http://127.0.0.1:{args.api_port}"
        token = graph["token"]
        raw = args.client == "raw"

        def check_req(i: int) -> tuple[str, str, bytes]:
            return "POST", "/v1/check", bodies[i % len(bodies)]

        def risk_req(i: int) -> tuple[str, str, bytes]:
            return "GET", f"/v1/entities/account/{risk_ids[i % len(risk_ids)]}/risk", b""

        log.info("warm-up 5 s")
        run(drive(base, token, check_req, args.concurrency, 5.0, raw=raw))
        ops = graph["ops_token"]
        neo4j_pid = server.status().pid
        pids = {"api": [api.pid], "neo4j": [neo4j_pid] if neo4j_pid else [],
                "client": [os.getpid()]}
        idle0 = cpu_seconds(pids["neo4j"])
        time.sleep(3.0)
        neo4j_idle_pct = round((cpu_seconds(pids["neo4j"]) - idle0) / 3.0 * 100, 1)
        # The client is this process alone: uvicorn is its child.
        cpu0 = {k: cpu_seconds(v, children=k != "client") for k, v in pids.items()}
        load0 = os.getloadavg()
        log.info("check, saturation: %d clients, closed loop, %.0f s", args.concurrency,
                 args.duration)
        sat = run(drive(base, token, check_req, args.concurrency, args.duration, raw=raw))
        cpu1 = {k: cpu_seconds(v, children=k != "client") for k, v in pids.items()}
        n_done = max(1, sat["ok"] + sat["errors"])
        cpu_ms = {k: round((cpu1[k] - cpu0[k]) * 1000 / n_done, 3) for k in pids}
        before = server_histogram(base, ops, "/v1/check")
        log.info("check at %.0f req/s: %d clients, open loop, %.0f s", args.rate,
                 args.concurrency, args.duration)
        check = run(drive(base, token, check_req, args.concurrency, args.duration,
                          rate=args.rate, raw=raw))
        after = server_histogram(base, ops, "/v1/check")
        easy_rate = max(1.0, round(args.sustainable_fraction * sat["rps"]))
        log.info("check at %.0f req/s (%.0f%% of saturation): open loop, %.0f s", easy_rate,
                 args.sustainable_fraction * 100, args.duration / 2)
        easy = run(drive(base, token, check_req, args.concurrency, args.duration / 2,
                         rate=easy_rate, raw=raw))
        log.info("risk, saturation: %d clients, closed loop, %.0f s", args.risk_concurrency,
                 args.risk_duration)
        risk_sat = run(drive(base, token, risk_req, args.risk_concurrency, args.risk_duration,
                         raw=raw))
        log.info("risk at %.0f req/s: %d clients, open loop, %.0f s", args.risk_rate,
                 args.risk_concurrency, args.risk_duration)
        risk = run(drive(base, token, risk_req, args.risk_concurrency, args.risk_duration,
                         rate=args.risk_rate, raw=raw))
    finally:
        if api is not None:
            api.terminate()
            api.wait(timeout=30)
        if not args.keep_neo4j:
            log.info("%s", server.stop())
    result: dict[str, Any] = {
        "check_rps": sat["rps"],
        "check_saturation_p50_ms": sat["p50_ms"], "check_saturation_p99_ms": sat["p99_ms"],
        "check_target_rps": args.rate, "check_achieved_rps": check["rps"],
        "check_p50_ms": check["p50_ms"], "check_p95_ms": check["p95_ms"],
        "check_p99_ms": check["p99_ms"], "check_max_ms": check["max_ms"],
        "check_missed": check["missed"],
        "check_worst_ms_per_second": check["worst_ms_per_second"],
        "check_sustainable_rps": easy_rate, "check_sustainable_achieved_rps": easy["rps"],
        "check_sustainable_p50_ms": easy["p50_ms"], "check_sustainable_p95_ms": easy["p95_ms"],
        "check_sustainable_p99_ms": easy["p99_ms"], "check_sustainable_missed": easy["missed"],
        "check_sustainable_worst_ms_per_second": easy["worst_ms_per_second"],
        "check_server_p50_ms_bucket": histogram_quantile(before, after, 0.50),
        "check_server_p99_ms_bucket": histogram_quantile(before, after, 0.99),
        "risk_rps": risk_sat["rps"], "risk_saturation_p99_ms": risk_sat["p99_ms"],
        "risk_target_rps": args.risk_rate, "risk_achieved_rps": risk["rps"],
        "risk_p50_ms": risk["p50_ms"], "risk_p95_ms": risk["p95_ms"],
        "risk_p99_ms": risk["p99_ms"],
        "errors": sat["errors"] + check["errors"] + easy["errors"] + risk_sat["errors"]
        + risk["errors"],
        "check_cpu_ms_per_request": cpu_ms,
        "neo4j_idle_cpu_pct": neo4j_idle_pct,
        "check_capacity_rps_if_2_idle_cores": round(2000 / max(1e-9, sum(cpu_ms.values())), 1),
        "check_capacity_rps_server_only": round(
            2000 / max(1e-9, cpu_ms["api"] + cpu_ms["neo4j"]), 1),
        "check_statuses": dict(Counter(sat["statuses"]) + Counter(check["statuses"])
                               + Counter(easy["statuses"])),
        "risk_statuses": dict(Counter(risk_sat["statuses"]) + Counter(risk["statuses"])),
        "concurrency": args.concurrency, "risk_concurrency": args.risk_concurrency,
        "duration_s": args.duration, "risk_duration_s": args.risk_duration,
        "uvicorn_workers": args.workers, "client": args.client, "world": str(world),
        "graph": {"accounts": graph["accounts"], "transfers": graph["transfers"]},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "loadavg_before_check": load0, "loadavg_after": os.getloadavg()},
        "note": "client, uvicorn and Neo4j share the same cores (and with whatever else runs "
                "on the box: see loadavg); latencies are end to end over loopback, measured "
                "by the client. cpu_ms_per_request is CPU time per check request of each "
                "process, so capacity_rps estimates the rate two otherwise idle cores sustain",
        "finished_at": datetime.now().astimezone().isoformat(),
    }
    if args.baseline is not None and args.baseline.exists():
        base_res = json.loads(args.baseline.read_text())
        result["baseline"] = {k: base_res.get(k) for k in (
            "check_rps", "check_p50_ms", "check_p99_ms", "risk_p99_ms", "errors")}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    log.info("check: saturation %.0f req/s; at %.0f req/s p50 %s ms p99 %s ms; risk p99 %s "
             "ms; errors %d -> %s", result["check_rps"], args.rate, result["check_p50_ms"],
             result["check_p99_ms"], result["risk_p99_ms"], result["errors"], args.out)


if __name__ == "__main__":
    main()

"""`fraudgraph demo`: the main job end to end on the default set-up.

It runs the same commands an operator would, in order, each as its own process (so each
step is exactly what `fraudgraph <step>` does and a failing step names itself):
start the managed Neo4j, generate a world, reset and load it, run the heuristics, train
and score the GNN, find mule clusters, propagate risk, evaluate heuristics and models
against the world's truth. Reports land in var/demo/, the summary in
var/demo/summary.json.

detect, score and propagate each raise alerts (casework/hooks.py). Clusters run before
propagate, so propagate's alert run, the last, sees every source (signals, scores, risk,
clusters) and leaves the investigators' queue: no separate `alerts raise` step.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def _step(name: str, args: list[str], ok_codes: tuple[int, ...] = (0,)) -> float:
    log.info("demo step: %s", name)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "fraudgraph", *args], check=False)
    if proc.returncode not in ok_codes:
        log.error("demo step '%s' failed with exit code %d", name, proc.returncode)
        raise typer.Exit(proc.returncode or 1)
    return round(time.monotonic() - t0, 1)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def summarise(out: Path, world: Path, timings: dict[str, float]) -> dict[str, Any]:
    """The demo's summary from the steps' reports in ``out``."""
    load = _read(out / "load.json") or {}
    propagation = _read(out / "propagate.json")
    # The investigators' queue after the night's runs (docs/casework.md): propagate's
    # alert run, the last, in the shape `alerts raise --report` writes.
    alerts = propagation.pop("alerts", None) if isinstance(propagation, dict) else None
    return {
        "world": str(world),
        "seconds": timings,
        "load": {"totals": load.get("totals"), "nodes": load.get("graph_nodes"),
                 "relationships": load.get("graph_relationships")},
        "reports": sorted(p.name for p in out.glob("*.json")),
        "propagation": propagation,
        "alerts": alerts,
        "eval_models": _read(out / "eval-models.json"),
    }


def demo(
    accounts: Annotated[int, typer.Option(help="size of the generated world")] = 20_000,
    seed: Annotated[int, typer.Option()] = 7,
    epochs: Annotated[int, typer.Option(help="GNN epochs")] = 30,
) -> None:
    """Start Neo4j, generate and load a world, detect, train, score, cluster, propagate
    (each run raising alerts), evaluate."""
    from cli.common import settings

    s = settings()
    out = s.var_dir / "demo"
    out.mkdir(parents=True, exist_ok=True)
    # An older demo's separate alert report would be listed as this run's.
    (out / "alerts.json").unlink(missing_ok=True)
    world = s.var_dir / "worlds" / f"demo-{accounts}-s{seed}"
    timings: dict[str, float] = {}
    if s.managed:
        timings["neo4j_start"] = _step("neo4j start", ["neo4j", "start"])
    if not (world / "truth" / "manifest.json").exists():
        timings["generate"] = _step("generate", ["generate", "--out", str(world),
                                                 "--accounts", str(accounts),
                                                 "--seed", str(seed)])
    timings["reset"] = _step("reset", ["reset", "--yes"])
    # Exit code 3 = some rows rejected; the generated world has none, but it is not fatal.
    timings["load"] = _step("load", ["load", str(world), "--report", str(out / "load.json"),
                                     "--rejects", str(out / "rejects.csv")], (0, 3))
    timings["detect"] = _step("detect", ["detect", "--report", str(out / "detect.json")])
    timings["train"] = _step("train", ["train", "--epochs", str(epochs)])
    timings["score"] = _step("score", ["score"])
    timings["clusters"] = _step("clusters", ["clusters", "--json", str(out / "clusters.json")])
    timings["propagate"] = _step("propagate", ["propagate", "--report",
                                               str(out / "propagate.json")])
    truth = world / "truth"
    timings["eval_heuristics"] = _step("eval heuristics", [
        "eval", "heuristics", "--truth", str(truth), "--json", str(out / "eval-heuristics.json")])
    timings["eval_models"] = _step("eval models", [
        "eval", "models", "--truth", str(truth), "--json", str(out / "eval-models.json")])
    summary = summarise(out, world, timings)
    path = out / "summary.json"
    path.write_text(json.dumps(summary, indent=2, default=str))
    typer.echo(f"demo done in {sum(timings.values()):.0f}s: {path}")

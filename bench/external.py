"""Detection on data fraudgraph did not write: IBM AMLSim, through the real pipeline.

    .venv/bin/python bench/external.py --amlsim ../shared/data/amlsim-10k \
        --out var/bench/external.json [--seeds 20261125,1,2] [--baseline FILE]

The protocol of ``shared/data/amlsim-10k/README.md``, per split seed:
1. `fraudgraph adapt amlsim` writes feed files (30 % of the SAR alerts known, as black-list
   entries 7 days after their first internal transfer);
2. on a dedicated Neo4j (var/bench-external, port 7694, its own pseudonym key) the
   `fraudgraph` commands run as a user would: reset, load, detect (over the whole data),
   train, score, propagate;
3. every account that is not known is ranked by the **served** ``risk`` (the stored
   property the API returns) and by each component (the served model's ``gnn_score``,
   ``prop_score``, the heuristics' noisy-OR); positives are the hidden SAR members;
4. two baselines on the same split in the same run: personalised PageRank from the known
   accounts on the undirected transfer graph (restart 0.15), and gradient boosting on 12
   per-account features (in/out count, sum, mean, std, max, distinct counterparties)
   fitted with the known accounts as positives and all others as unlabelled.
Writes AP, ROC-AUC and precision@100 per seed, their mean and spread over seeds, each
heuristic's hits and precision, timings, and a comparison with ``--baseline``.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from cypher import statement
from fraudgraph.db import open_driver
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from gnn.models.metrics import pr_auc, precision_at_k, roc_auc

log = logging.getLogger("bench.external")
KEY = "bench-external-pseudonym-key"
ENV = {
    "FRAUDGRAPH_VAR_DIR": str(REPO / "var" / "bench-external"),
    "FRAUDGRAPH_BOLT_PORT": "7694",
    "FRAUDGRAPH_HTTP_PORT": "7486",
    "FRAUDGRAPH_HEAP_SIZE": "3g",
    "FRAUDGRAPH_PAGECACHE_SIZE": "2g",
    "FRAUDGRAPH_PSEUDONYM_KEY": KEY,
    "FRAUDGRAPH_ENV": "development",
}
# detect looks at the whole data set: AMLSim's alert patterns run through all 720 days,
# where a deployment's daily run looks at its recent weeks.
STEPS = (("reset", ["reset", "--yes"]), ("load", ["load", "{feeds}"]),
         ("detect", ["detect", "--window-days", "0"]),
         ("train", ["train"]), ("score", ["score"]), ("propagate", ["propagate"]))


def _args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--amlsim", type=Path, required=True, help="AMLSim output directory")
    ap.add_argument("--out", type=Path, required=True, help="JSON results file")
    ap.add_argument("--seeds", default="20261125,1,2", help="split seeds, comma-separated")
    ap.add_argument("--baseline", type=Path, help="an earlier --out file to compare with")
    ap.add_argument("--keep-server", action="store_true", help="leave the bench Neo4j running")
    ap.add_argument("--gnn-model", help="`fraudgraph train --model` (default: train's own)")
    return ap.parse_args(argv)


def _env() -> dict[str, str]:
    # Its own managed server, whatever NEO4J_URI the caller's shell points at.
    return {k: v for k, v in {**os.environ, **ENV}.items() if not k.startswith("NEO4J_")}


def _settings() -> Settings:
    from fraudgraph.settings import load_settings

    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(_env())
        return load_settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _cli(args: list[str], log_path: Path) -> float:
    t0 = time.perf_counter()
    with open(log_path, "a") as fh:
        fh.write(f"\n$ fraudgraph {' '.join(args)}\n")
        fh.flush()
        proc = subprocess.run([sys.executable, "-m", "fraudgraph", *args], env=_env(),
                              stdout=fh, stderr=subprocess.STDOUT, cwd=REPO, check=False)
    # `load` exits 3 when rows were rejected: the bench reports it, the run goes on.
    if proc.returncode not in (0, 3):
        raise SystemExit(f"fraudgraph {' '.join(args)} failed ({proc.returncode}); "
                         f"see {log_path}")
    return time.perf_counter() - t0


def _metrics(y: np.ndarray, s: np.ndarray) -> dict[str, float | None]:
    s = np.nan_to_num(np.asarray(s, dtype=np.float64), nan=-1.0)
    return {"ap": pr_auc(y, s), "roc_auc": roc_auc(y, s), "p_at_100": precision_at_k(y, s, 100)}


def _read_truth(truth: Path) -> tuple[list[str], list[str], dict[str, str]]:
    known: list[str] = []
    hidden: list[str] = []
    kind: dict[str, str] = {}
    with open(truth / "entities.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            (known if r["known_at"] else hidden).append(r["entity_id"])
            kind[r["entity_id"]] = r["scheme_type"]
    return known, hidden, kind


def _transfers(feeds: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    with open(feeds / "accounts.csv", newline="", encoding="utf-8") as fh:
        ibans = [r["iban"] for r in csv.DictReader(fh)]
    index = {k: i for i, k in enumerate(ibans)}
    src, dst, amt = [], [], []
    with open(feeds / "transfers.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            src.append(index[r["from_iban"]])
            dst.append(index[r["to_iban"]])
            amt.append(float(r["amount_kzt"]))
    return ibans, np.array(src), np.array(dst), np.array(amt)


def ppr_baseline(src: np.ndarray, dst: np.ndarray, n: int, known: np.ndarray,
                 restart: float = 0.15, iters: int = 100) -> np.ndarray:
    """Personalised PageRank from the known accounts on the undirected transfer graph."""
    import scipy.sparse as sp

    a = sp.csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    a = (a + a.T).tocsr()
    deg = np.asarray(a.sum(axis=1)).ravel()
    p = sp.diags(np.where(deg > 0, 1.0 / np.maximum(deg, 1e-12), 0.0)) @ a
    e = known.astype(np.float64) / max(known.sum(), 1)
    r = e.copy()
    for _ in range(iters):
        r = restart * e + (1 - restart) * (p.T @ r)
    return np.asarray(r)


def twelve_features(src: np.ndarray, dst: np.ndarray, amt: np.ndarray, n: int) -> np.ndarray:
    cols = []
    for idx, other in ((src, dst), (dst, src)):
        c = np.bincount(idx, minlength=n).astype(np.float64)
        s = np.bincount(idx, amt, minlength=n)
        mean = s / np.maximum(c, 1)
        sq = np.bincount(idx, amt * amt, minlength=n) / np.maximum(c, 1)
        mx = np.zeros(n)
        np.maximum.at(mx, idx, amt)
        pairs = np.unique(idx.astype(np.int64) * n + other)
        distinct = np.bincount(pairs // n, minlength=n)
        cols += [c, s, mean, np.sqrt(np.clip(sq - mean * mean, 0, None)), mx, distinct]
    return np.column_stack(cols)


def gbm_baseline(x: np.ndarray, known: np.ndarray, seed: int) -> np.ndarray:
    """LightGBM with its default parameters, fitted on every account (known positive,
    all others unlabelled) and scored on the same accounts, as the protocol says."""
    import lightgbm as lgb

    m = lgb.LGBMClassifier(random_state=seed, n_jobs=2, verbose=-1)
    m.fit(x, known.astype(int))
    proba: Any = m.predict_proba(x)
    return np.asarray(proba[:, 1])


def _noisy_or(signals: list[dict[str, Any]]) -> float:
    keep = 1.0
    for s in signals:
        keep *= 1.0 - min(max(float(s["score"] or 0.0), 0.0), 1.0)
    return 1.0 - keep


def run_seed(src_dir: Path, seed: int, work: Path, gnn_model: str | None = None
             ) -> dict[str, Any]:
    from graph_loader.adapters.amlsim import convert

    feeds = work / f"amlsim-s{seed}"
    t0 = time.perf_counter()
    conv = convert(src_dir, feeds, split_seed=seed)
    timings = {"convert": round(time.perf_counter() - t0, 2)}
    log_path = work / f"amlsim-s{seed}.log"
    log_path.write_text("")
    for name, args in STEPS:
        if name == "train" and gnn_model:
            args = [*args, "--model", gnn_model]
        log.info("seed %d: %s", seed, name)
        timings[name] = round(_cli([a.format(feeds=feeds) for a in args], log_path), 2)
    timings["pipeline_load_to_risk"] = round(sum(v for k, v in timings.items()
                                                 if k not in ("convert", "reset")), 2)

    known_raw, hidden_raw, kind = _read_truth(feeds / "truth")
    pseudo = Pseudonymiser(KEY)
    ibans, src, dst, amt = _transfers(feeds)
    n = len(ibans)
    pid = [pseudo("account", i) for i in ibans]
    known = np.isin(ibans, known_raw)
    hidden = np.isin(ibans, hidden_raw)
    settings = _settings()
    with open_driver(settings) as driver:
        recs, _, _ = driver.execute_query(statement("eval/account_scores"),
                                          database_=settings.neo4j_database, routing_="r")
    rows = {r["id"]: r for r in recs}
    got: list[Any] = [rows.get(p) for p in pid]

    def col(name: str) -> np.ndarray:
        return np.array([np.nan if g is None or g[name] is None else float(g[name])
                         for g in got])

    served = col("risk")
    comps = {"served_risk": served, "model (gnn_score)": col("gnn_score"),
             "propagation (prop_score)": col("prop_score"),
             "heuristics (noisy-OR)": np.array([_noisy_or(g["signals"]) if g else 0.0
                                                for g in got])}
    comps.update(_candidates(settings, pid))
    comps["baseline_ppr"] = ppr_baseline(src, dst, n, known)
    comps["baseline_gbm12"] = gbm_baseline(twelve_features(src, dst, amt, n), known, seed)
    unknown = ~known
    y = hidden[unknown].astype(np.int64)
    result: dict[str, Any] = {
        "split_seed": seed, "conversion": conv.as_dict(),
        "accounts_ranked": int(unknown.sum()), "positives": int(y.sum()),
        "prevalence": round(float(y.mean()), 4),
        "accounts_without_risk": int(np.isnan(served).sum()),
        "metrics": {k: _metrics(y, v[unknown]) for k, v in comps.items()},
        "timings_s": timings,
    }
    types = np.array([kind.get(i, "") for i in ibans])[unknown]
    result["served_by_typology"] = {
        t: _metrics(y[(types == t) | (y == 0)], served[unknown][(types == t) | (y == 0)])
        for t in sorted(set(types[y == 1]))}
    heur: dict[str, dict[str, float]] = {}
    for g, pos, is_known in zip(got, hidden, known, strict=True):
        for s in (g["signals"] if g is not None else None) or []:
            h = heur.setdefault(s["heuristic"], {"accounts": 0, "hidden_sar": 0, "known_sar": 0})
            h["accounts"] += 1
            h["hidden_sar"] += int(pos)
            h["known_sar"] += int(is_known)
    for h in heur.values():
        sar = h["hidden_sar"] + h["known_sar"]
        h["precision_sar"] = round(sar / h["accounts"], 4) if h["accounts"] else 0.0
    result["heuristics"] = heur
    manifest = _latest_manifest()
    if manifest:
        result["served_model"] = manifest.get("served", {}).get("model")
        result["served_combiner"] = manifest.get("served", {}).get("combiner")
        result["validation"] = manifest.get("metrics", {}).get("val")
    return result


def _candidates(settings: Settings, pid: list[str]) -> dict[str, np.ndarray]:
    """The served version's models one by one (both, when it serves the ensemble), scored
    as `fraudgraph score` does: what each candidate alone would have ranked."""
    from gnn.commands import models_root, signal_source
    from gnn.models.pipeline import candidate_scores
    from gnn.registry import latest
    from gnn.snapshot.export import export_snapshot

    with open_driver(settings) as driver:
        snap = export_snapshot(driver, settings.neo4j_database, progress=False)
    parts = candidate_scores(snap, latest(models_root(settings)),
                             signals_at=signal_source(settings, snap))
    where = snap.index("Account")
    rows = np.array([where.get(p, -1) for p in pid])
    return {f"candidate {k}": np.where(rows >= 0, v[np.maximum(rows, 0)], np.nan)
            for k, v in parts.items()}


def _latest_manifest() -> dict[str, Any] | None:
    from gnn.registry import latest, read_manifest

    try:
        return read_manifest(latest(Path(ENV["FRAUDGRAPH_VAR_DIR"]) / "models"))
    except Exception:
        return None


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    comps = list(dict.fromkeys(c for r in runs for c in r["metrics"]))
    for comp in comps:  # a candidate exists only in the runs whose served version has it
        out[comp] = {"runs": sum(1 for r in runs if comp in r["metrics"])}
        for m in ("ap", "roc_auc", "p_at_100"):
            vals = [r["metrics"][comp][m] for r in runs
                    if comp in r["metrics"] and r["metrics"][comp][m] is not None]
            out[comp][m] = {"mean": round(float(np.mean(vals)), 4) if vals else None,
                            "spread": round(float(np.max(vals) - np.min(vals)), 4)
                            if vals else None}
    return out


def _compare(summary: dict[str, Any], baseline: Path) -> dict[str, Any]:
    base = json.loads(baseline.read_text()).get("summary", {})
    return {comp: {m: {"now": v[m]["mean"], "before": base.get(comp, {}).get(m, {}).get("mean")}
                   for m in v if m != "runs"} for comp, v in summary.items()}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    args = _args(argv)
    from fraudgraph.neo4j_server import Neo4jServer

    work = Path(ENV["FRAUDGRAPH_VAR_DIR"]) / "runs"
    work.mkdir(parents=True, exist_ok=True)
    settings = _settings()
    server = Neo4jServer(settings)
    started, msg = server.start()
    log.info("%s", msg)
    runs = []
    try:
        for seed in (int(s) for s in args.seeds.split(",") if s.strip()):
            runs.append(run_seed(args.amlsim, seed, work, args.gnn_model))
            # Each seed's result is kept as it lands: a later failure loses nothing.
            (work / f"result-s{seed}.json").write_text(json.dumps(runs[-1], indent=2))
            log.info("seed %d: served AP %.4f (gbm12 %.4f, ppr %.4f)", seed,
                     runs[-1]["metrics"]["served_risk"]["ap"],
                     runs[-1]["metrics"]["baseline_gbm12"]["ap"],
                     runs[-1]["metrics"]["baseline_ppr"]["ap"])
    finally:
        if started and not args.keep_server:
            server.stop()
    summary = summarise(runs)
    out: dict[str, Any] = {
        "bench": "external", "data": str(args.amlsim), "protocol": "shared/data/amlsim-10k",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "gnn_model": args.gnn_model or "train's default",
        "summary": summary, "runs": runs,
        "targets": {"served_ap_mean": summary["served_risk"]["ap"]["mean"],
                    "served_minus_gbm12_ap": round(summary["served_risk"]["ap"]["mean"]
                                                   - summary["baseline_gbm12"]["ap"]["mean"],
                                                   4),
                    "max_pipeline_s": max(r["timings_s"]["pipeline_load_to_risk"]
                                          for r in runs)},
    }
    if args.baseline:
        out["comparison"] = _compare(summary, args.baseline)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    log.info("wrote %s: %s", args.out, json.dumps(out["targets"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

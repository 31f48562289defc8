"""Benchmark risk propagation: full PPR, incremental pushes, explanations, networkx.

    python bench/propagation.py --out var/bench/propagation.json \\
        [--nodes 1000000 --edges 10000000] [--baseline OLD.json]

Everything runs on a synthetic, heavy-tailed typed graph (gnn.propagation.synthetic).
Timings are wall-clock on whatever machine runs this; on a shared box they are noisy.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import platform
import resource
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy
from tqdm import tqdm

from gnn.propagation import (
    IncrementalPropagation,
    PropagationConfig,
    build_propagation_graph,
    explain,
    personalized_pagerank,
    seed_vector,
    seeds_from_snapshot,
)
from gnn.propagation.graph import PropagationGraph
from gnn.propagation.normalise import normalise_scores
from gnn.propagation.synthetic import synthetic_snapshot

log = logging.getLogger("bench.propagation")


def _pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def measure_bandwidth(mib: int = 512, repeats: int = 3) -> dict[str, float]:
    """Best-of-N single-thread memory bandwidth: a large copy (read + write counted) and
    a large sum (read only). Warm-up first so page faults are not timed."""
    a = np.ones(mib * 1024 * 1024 // 8)
    b = np.empty_like(a)
    np.copyto(b, a)
    copy_best, sum_best = 0.0, 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        np.copyto(b, a)
        copy_best = max(copy_best, 2 * a.nbytes / (time.perf_counter() - t))
        t = time.perf_counter()
        a.sum()
        sum_best = max(sum_best, a.nbytes / (time.perf_counter() - t))
    return {"copy_bytes_per_s": copy_best, "sum_bytes_per_s": sum_best}


def spmv_bytes(graph: PropagationGraph) -> int:
    """Bytes one P^T x product must move at least: the CSR arrays once, x read, y written."""
    adj = graph.adj
    vec = graph.num_nodes * 8
    return int(adj.indptr.nbytes + adj.indices.nbytes + adj.data.nbytes + 2 * vec)


def bench_full(
    graph: PropagationGraph, seeds: np.ndarray, cfg: PropagationConfig
) -> dict[str, Any]:
    t = time.perf_counter()
    res = personalized_pagerank(graph, seeds, cfg, progress=True)
    full = time.perf_counter() - t
    x = np.random.default_rng(0).random(graph.num_nodes)
    graph.adj_t @ x
    reps = 5
    t = time.perf_counter()
    for _ in range(reps):
        graph.adj_t @ x
    spmv = (time.perf_counter() - t) / reps
    return {
        "full_seconds": full,
        "iterations": res.iterations,
        "converged": res.converged,
        "last_delta": res.last_delta,
        "per_iteration_seconds": full / max(res.iterations, 1),
        "spmv_seconds": spmv,
        "scores": res.scores,
    }


def bench_incremental(
    graph: PropagationGraph,
    seeds: np.ndarray,
    scores: np.ndarray,
    cfg: PropagationConfig,
    updates: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Each update is one new incident: two beneficiary accounts become weight-1 seeds."""
    t = time.perf_counter()
    state = IncrementalPropagation(graph, seeds, cfg, scores)
    init = time.perf_counter() - t
    acc = graph.type_slice("Account")
    candidates = np.flatnonzero(seeds[acc] == 0) + acc.start
    targets = rng.choice(candidates, size=(updates, 2), replace=False)
    times, volumes, changed = [], [], []
    for pair in tqdm(targets.tolist(), desc="incremental", leave=False):
        t = time.perf_counter()
        stats = [state.set_seed_weight(int(i), 1.0) for i in pair]
        times.append((time.perf_counter() - t) * 1e3)
        volumes.append(sum(s.volume for s in stats))
        changed.append(sum(int(s.changed.size) for s in stats))
    log.info("incremental done; full recompute for agreement")
    exact = personalized_pagerank(graph, state.seeds, cfg).scores
    err = np.abs(exact - state.scores)
    bound_ratio = float(np.max(err / (state.eps * np.maximum(graph.degree, 1e-300))))
    norm_exact = normalise_scores(exact, graph.degree, cfg, state.seeds, state.background)
    return {
        "incremental_init_seconds": init,
        "incremental_updates": updates,
        "incremental_seeds_per_update": 2,
        "incremental_p50_ms": _pct(times, 50),
        "incremental_p99_ms": _pct(times, 99),
        "incremental_max_ms": max(times),
        "incremental_volume_p50": _pct(volumes, 50),
        "incremental_volume_max": max(volumes),
        "incremental_changed_nodes_p50": _pct(changed, 50),
        "incremental_eps": state.eps,
        "incremental_l1_rel_error": float(err.sum() / exact.sum()),
        "incremental_max_abs_error_over_bound": bound_ratio,
        "incremental_max_normalised_diff": float(np.abs(norm_exact - state.normalised()).max()),
        "state": state,
    }


def bench_explain(
    state: IncrementalPropagation, cfg: PropagationConfig, count: int, rng: np.random.Generator
) -> dict[str, Any]:
    """Explanations for entities across the risk range: top 1% and random non-zero."""
    graph = state.graph
    norm = state.normalised()
    nonzero = np.flatnonzero((norm > 0) & (state.seeds == 0))
    top = nonzero[np.argsort(-norm[nonzero])[: max(1, nonzero.size // 100)]]
    picks = np.concatenate([rng.choice(top, count // 2), rng.choice(nonzero, count - count // 2)])
    times, fractions, path_lengths = [], [], []
    for idx in tqdm(picks.tolist(), desc="explain", leave=False):
        node_type, node_id = graph.entity_of(int(idx))
        t = time.perf_counter()
        ex = explain(
            graph, state.seeds, state.scores, node_type, node_id, cfg, background=state.background
        )
        times.append((time.perf_counter() - t) * 1e3)
        fractions.append(ex.explained_fraction)
        path_lengths += [len(c.path) for c in ex.contributions]
    return {
        "explain_calls": len(times),
        "explain_p50_ms": _pct(times, 50),
        "explain_p99_ms": _pct(times, 99),
        "explain_explained_fraction_p50": _pct(fractions, 50),
        "explain_path_length_p50": _pct(path_lengths, 50),
    }


def bench_networkx(nodes: int, edges: int, cfg: PropagationConfig, seed: int) -> dict[str, Any]:
    """networkx pagerank (personalised, weighted) against ours on the same graph. Both on
    the undirected walk: networkx renormalises every row, where our damped upstream
    steps end walks (graph.py), so only the undirected case is the same computation."""
    cfg = dataclasses.replace(cfg, upstream_weights={})
    snap = synthetic_snapshot(nodes, edges, seed=seed + 1)
    graph = build_propagation_graph(snap, cfg)
    seeds = seed_vector(graph, seeds_from_snapshot(snap, cfg))
    t = time.perf_counter()
    ours = personalized_pagerank(graph, seeds, cfg)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    g = nx.from_scipy_sparse_array(graph.adj)
    build_s = time.perf_counter() - t
    personalization = {int(i): float(seeds[i]) for i in np.flatnonzero(seeds)}
    t = time.perf_counter()
    # networkx stops when sum|x - x_last| < N * tol with x summing to 1; match our tol.
    pr = nx.pagerank(
        g,
        alpha=1.0 - cfg.alpha,
        personalization=personalization,
        weight="weight",
        tol=cfg.tol / graph.num_nodes,
        max_iter=cfg.max_iter,
    )
    nx_s = time.perf_counter() - t
    theirs = np.array([pr[i] for i in range(graph.num_nodes)])
    return {
        "networkx_version": nx.__version__,
        "networkx_nodes": graph.num_nodes,
        "networkx_edges": snap.num_edges,
        "networkx_matrix_entries": int(graph.adj.nnz),
        "networkx_seconds": nx_s,
        "networkx_graph_build_seconds": build_s,
        "ours_on_networkx_graph_seconds": ours_s,
        "ours_on_networkx_graph_iterations": ours.iterations,
        "networkx_l1_diff": float(np.abs(ours.scores / ours.scores.sum() - theirs).sum()),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    cfg = PropagationConfig()
    rng = np.random.default_rng(args.seed)
    out: dict[str, Any] = {
        "note": "shared 2-core machine, other jobs running: timings are noisy",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "config": {"alpha": cfg.alpha, "tol": cfg.tol, "half_life_days": cfg.half_life_days},
    }
    t = time.perf_counter()
    snap = synthetic_snapshot(args.nodes, args.edges, seed=args.seed)
    out["generate_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = build_propagation_graph(snap, cfg)
    out["build_seconds"] = time.perf_counter() - t
    out.update(nodes=graph.num_nodes, edges=snap.num_edges, matrix_entries=int(graph.adj.nnz))
    seeds = seed_vector(graph, seeds_from_snapshot(snap, cfg))
    out.update(seed_nodes=int((seeds > 0).sum()), seed_mass=float(seeds.sum()))
    del snap
    log.info("graph: %d nodes, %d entries", graph.num_nodes, graph.adj.nnz)

    full = bench_full(graph, seeds, cfg)
    scores = full.pop("scores")
    out.update(full)
    bw = measure_bandwidth()
    out["bandwidth_copy_gb_s"] = bw["copy_bytes_per_s"] / 1e9
    out["bandwidth_sum_gb_s"] = bw["sum_bytes_per_s"] / 1e9
    out["bytes_per_iteration"] = spmv_bytes(graph)
    best_bw = max(bw.values())
    out["floor_seconds_per_iteration"] = out["bytes_per_iteration"] / best_bw
    out["per_iteration_over_floor"] = (
        out["per_iteration_seconds"] / out["floor_seconds_per_iteration"]
    )
    out["spmv_over_floor"] = out["spmv_seconds"] / out["floor_seconds_per_iteration"]
    norm = normalise_scores(scores, graph.degree, cfg, seeds)
    levels = (50.0, 90.0, 99.0, 99.9)
    quantiles = np.percentile(norm, levels)
    out["score_quantiles"] = {str(q): float(v) for q, v in zip(levels, quantiles, strict=True)}
    out["score_nonzero_fraction"] = float((norm > 0).mean())

    inc = bench_incremental(graph, seeds, scores, cfg, args.updates, rng)
    state = inc.pop("state")
    out.update(inc)
    out.update(bench_explain(state, cfg, args.explain, rng))
    del state, scores, graph
    out.update(bench_networkx(args.nx_nodes, args.nx_edges, cfg, args.seed))
    out["gds"] = None
    out["gds_reason"] = (
        "Neo4j Graph Data Science is not installed in this environment (Community server, "
        "no GDS plugin), so no GDS personalised PageRank timing"
    )
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def compare(new: dict[str, Any], old: dict[str, Any]) -> dict[str, float]:
    """new / old for every numeric top-level key both runs have (< 1 = faster/smaller)."""
    ratios: dict[str, float] = {}
    for key, value in new.items():
        prev = old.get(key)
        if isinstance(value, bool) or isinstance(prev, bool):
            continue
        if isinstance(value, int | float) and isinstance(prev, int | float) and prev:
            ratios[key] = float(value) / float(prev)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--explain", type=int, default=50)
    parser.add_argument("--nx-nodes", type=int, default=100_000)
    parser.add_argument("--nx-edges", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    result = run(args)
    if args.baseline:
        result["baseline"] = str(args.baseline)
        result["comparison"] = compare(result, json.loads(args.baseline.read_text()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, sort_keys=True))
    log.info("wrote %s", args.out)


if __name__ == "__main__":
    main()

"""`fraudgraph eval models`: every model and baseline on the test window, against the
AFC's own later reports and against the generated truth (where hidden fraud counts),
plus cluster quality and the emerging-scheme backtest.

Reported labels: positives are accounts first reported in [T2, T3) (`gnn.snapshot.labels`).
Truth labels: the same test accounts (unknown at T2), positive if the generator made
them fraud, reported or not. ``truth_hidden`` restricts positives to fraud that is
never reported, the case a graph model exists for. ``reported_active`` keeps only the
reported positives whose fraud had begun before T2 (the rest left no trace a model
scoring at T2 could see) and drops the others from the ranking.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from fraudgraph.pseudonym import Pseudonymiser
from gnn.clusters.communities import ClusterConfig, first_payments
from gnn.clusters.emerging import backtest
from gnn.clusters.run import build_clusters, cluster_quality
from gnn.models.plots import pr_curves
from gnn.models.report import metric_row
from gnn.registry import read_manifest
from gnn.snapshot.labels import DAY_S, first_known
from gnn.snapshot.timed import TimedSnapshot
from gnn.snapshot.truth import load_account_truth

log = logging.getLogger(__name__)


def load_test_scores(directory: Path) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    with np.load(directory / "test_scores.npz", allow_pickle=False) as z:
        ids, y = z["ids"], z["y"]
        scores = {k[len("score_"):]: z[k] for k in z.files if k.startswith("score_")}
    return ids, y, scores


def model_metrics(directory: Path, snapshot: TimedSnapshot, truth_dir: Path | None,
                  pseudo: Pseudonymiser, reports_dir: Path) -> dict[str, Any]:
    manifest = read_manifest(directory)
    ids, y, scores = load_test_scores(directory)
    out: dict[str, Any] = {
        "model_version": manifest["version"], "data_hash": manifest["data_hash"],
        "cutoffs": manifest["cutoffs"], "split": manifest["split"],
        "reported": {k: metric_row(y, s) for k, s in scores.items()},
    }
    curves = [pr_curves(y, scores, reports_dir / f"pr_reported_{manifest['version']}.png",
                        "test window, reported labels")]
    if truth_dir is not None:
        truth = load_account_truth(truth_dir, pseudo, snapshot.nodes["Account"])
        pos = {k: i for i, k in enumerate(snapshot.nodes["Account"])}
        at = np.array([pos[str(i)] for i in ids.tolist()], dtype=np.int64)
        fraud = truth.is_fraud[at].astype(np.int64)
        hidden = fraud.astype(bool) & ~np.isfinite(truth.known_at[at])
        keep = ~fraud.astype(bool) | hidden
        out["truth"] = {k: metric_row(fraud, s) for k, s in scores.items()}
        began = truth.active_from[at] < float(manifest["cutoffs"]["t2"])
        visible = ~y.astype(bool) | began
        out["reported_active"] = {k: metric_row(y[visible], s[visible])
                                  for k, s in scores.items()}
        out["truth_hidden"] = {k: metric_row(hidden[keep].astype(np.int64), s[keep])
                               for k, s in scores.items()}
        out["truth_matched_accounts"] = truth.matched
        curves.append(pr_curves(fraud, scores, reports_dir / f"pr_truth_{manifest['version']}.png",
                                "test window, generated truth"))
    out["pr_curves"] = [str(p) for p in curves]
    return out


def served_now(snapshot: TimedSnapshot, stored: dict[str, dict[str, float | None]],
               truth_dir: Path, pseudo: Pseudonymiser) -> dict[str, Any]:
    """The risk the API serves today (the stored ``risk``) beside its stored components,
    over every account the AFC does not know yet: positives are the generated fraud
    nobody reported (hidden truth)."""
    ids = snapshot.nodes["Account"]
    truth = load_account_truth(truth_dir, pseudo, ids)
    known = first_known(snapshot) < np.inf
    unknown = ~known
    hidden = (truth.is_fraud & ~known)[unknown].astype(np.int64)

    def col(name: str) -> np.ndarray:
        return np.array([np.nan if (stored.get(i) or {}).get(name) is None
                         else float(stored[i][name] or 0.0) for i in ids])[unknown]

    return {name: metric_row(hidden, col(key)) for name, key in
            (("served_risk", "risk"), ("model", "gnn_score"), ("propagation", "prop_score"),
             ("heuristics", "heuristics"))}


def clusters_vs_truth(snapshot: TimedSnapshot, members: list[list[str]], truth_dir: Path,
                      pseudo: Pseudonymiser) -> dict[str, Any]:
    truth = load_account_truth(truth_dir, pseudo, snapshot.nodes["Account"])
    pos = {k: i for i, k in enumerate(snapshot.nodes["Account"])}
    groups = [[pos[m] for m in g if m in pos] for g in members]
    return cluster_quality(groups, truth.is_fraud, truth.scheme_id.astype(str))


def emerging_backtest(snapshot: TimedSnapshot, score_at: Any, cfg: ClusterConfig,
                      weeks: int = 3, k: int = 5) -> dict[str, Any]:
    """Clusters as of ``end - j windows`` (scored with ``score_at(cutoff)``), forecast
    of their next window, compared with what happened in it; j = 1..weeks."""
    end = snapshot.latest_time() + 1.0
    rows: list[dict[str, Any]] = []
    for j in range(1, weeks + 1):
        cutoff = end - j * cfg.window_days * DAY_S
        run = build_clusters(snapshot, score_at(cutoff), {}, cfg, cutoff=cutoff)
        pos = {kk: i for i, kk in enumerate(snapshot.nodes["Account"])}
        fps = [first_payments(snapshot, np.array([pos[m] for m in c.members]))
               for c in run.clusters]
        # History from before the cut-off only: first payments at/after it are the future.
        bt = backtest(fps, cutoff, cfg.window_days, k=k)
        rows.append({"cutoff": cutoff, "clusters": bt.clusters, "k": bt.k,
                     "hit_rate": bt.hit_rate, "naive_hit_rate": bt.naive_hit_rate,
                     "spearman": bt.spearman})
    rates = [float(r["hit_rate"]) for r in rows if r["clusters"]]
    naive = [float(r["naive_hit_rate"]) for r in rows if r["clusters"]]
    return {"backtests": rows, "mean_hit_rate": float(np.mean(rates)) if rates else None,
            "mean_naive_hit_rate": float(np.mean(naive)) if naive else None}

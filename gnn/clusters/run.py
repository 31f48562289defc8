"""From scores to summarised clusters (pure), and cluster quality against the truth."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

import numpy as np

from gnn.clusters.communities import (
    ClusterConfig,
    ClusterSummary,
    assign_ids,
    communities,
    summarise,
)
from gnn.snapshot.labels import first_known
from gnn.snapshot.timed import TimedSnapshot, as_of

log = logging.getLogger(__name__)


@dataclass
class ClusterRun:
    clusters: list[ClusterSummary]
    threshold: float
    high_risk: int
    cutoff: float


def high_risk_members(scores: np.ndarray, known: np.ndarray, threshold: float | None,
                      quantile: float = 0.99) -> tuple[np.ndarray, float]:
    """Known positives plus accounts scoring at least ``threshold`` (default: the
    ``quantile`` of the scores, i.e. the top 1 %)."""
    s = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=-np.inf)
    finite = s[np.isfinite(s)]
    t = threshold if threshold is not None else (
        float(np.quantile(finite, quantile)) if finite.size else np.inf)
    return np.flatnonzero((s >= t) | known), float(t)


def build_clusters(snapshot: TimedSnapshot, scores: np.ndarray, previous: dict[str, set[str]],
                   cfg: ClusterConfig | None = None, threshold: float | None = None,
                   cutoff: float | None = None) -> ClusterRun:
    cfg = cfg or ClusterConfig()
    when = cutoff if cutoff is not None else snapshot.latest_time() + 1.0
    snap = as_of(snapshot, when)
    known = first_known(snap) < when
    members, t = high_risk_members(scores, known, threshold)
    groups = communities(snap, members, cfg)
    ids_per_group = [[snap.nodes["Account"][i] for i in g.tolist()] for g in groups]
    cids = assign_ids(ids_per_group, previous, cfg.min_jaccard)
    clusters = [summarise(snap, g, cid, when, cfg) for g, cid in zip(groups, cids, strict=True)]
    log.info("%d high-risk accounts (threshold %.4f) -> %d clusters", members.size, t,
             len(clusters))
    return ClusterRun(clusters, t, int(members.size), when)


def cluster_quality(clusters: list[list[int]], is_fraud: np.ndarray, scheme_id: np.ndarray
                    ) -> dict[str, float | int | None]:
    """Against the true schemes, over the clustered accounts:
    - ``precision``: share of clustered accounts that are truly fraud;
    - ``adjusted_rand``: ARI between clusters and true schemes over the clustered fraud
      accounts (1 = each cluster is exactly one scheme's accounts);
    - ``purity``: share of clustered accounts in their cluster's majority class, with
      legitimate accounts as one class of their own;
    - ``schemes_found``: schemes with at least one clustered account."""
    from sklearn.metrics import adjusted_rand_score

    if not clusters:
        return {"clusters": 0, "accounts": 0, "precision": None, "adjusted_rand": None,
                "purity": None, "schemes_found": 0}
    idx = np.concatenate([np.asarray(c, dtype=np.int64) for c in clusters])
    lab = np.concatenate([np.full(len(c), k) for k, c in enumerate(clusters)])
    fraud = is_fraud[idx]
    truth = np.where(fraud, scheme_id[idx].astype(str), "legit")
    majority = sum(Counter(truth[lab == k].tolist()).most_common(1)[0][1]
                   for k in range(len(clusters)))
    ari = None
    if fraud.sum() >= 2:
        ari = float(adjusted_rand_score(truth[fraud], lab[fraud]))
    return {
        "clusters": len(clusters),
        "accounts": int(idx.size),
        "precision": float(fraud.mean()),
        "adjusted_rand": ari,
        "purity": majority / idx.size,
        "schemes_found": len({s for s in truth[fraud].tolist() if s}),
    }

"""The risk engine: propagation over the Neo4j graph, written back as one risk per entity.

It is the Neo4j adapter of `gnn.propagation` (pure maths): export a snapshot, run the
full personalised PageRank from the seeds the graph knows (incident beneficiaries, black
and grey lists), combine with the served model's score and the heuristic signals, and
write ``prop_score, risk, risk_band, risk_drivers, risk_updated_at`` back.

For accounts the combination is the one `fraudgraph train` learned on validation
(`gnn.propagation.combine`, in the latest registered model); an account that is itself a seed keeps
at least its seed weight. Without a registered model, and for persons, phones and
devices (which have no model score), the fixed rule of `gnn.propagation.risk` applies.
The same object then serves the API: explanations, and incremental pushes when an
incident or list entry arrives, writing back only the entities whose scores moved.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import Driver, ManagedTransaction

from cypher import statement, template
from fraudgraph.vocabulary import KIND_OF, LABEL_OF
from gnn.errors import ModelNotFoundError
from gnn.propagation import (
    IncrementalPropagation,
    PropagationConfig,
    Seed,
    UnknownEntityError,
    band_of,
    build_propagation_graph,
    combine_risk_array,
    explain,
    seed_vector,
    seeds_from_snapshot,
)
from gnn.propagation.combine import Combiner, with_own_seed
from gnn.snapshot.export import export_snapshot
from gnn.snapshot.graph import GraphSnapshot
from gnn.snapshot.signals import SELF_LABEL_HEURISTICS

log = logging.getLogger(__name__)

WRITE_BATCH = 10_000


def _cypher(name: str) -> str:
    return statement(f"risk/{name}")


def heuristic_evidence(snapshot: GraphSnapshot, label: str,
                       exclude: frozenset[str] = frozenset()) -> np.ndarray:
    """Per entity of `label`: 1 - prod(1 - signal score) over its latest-run signals,
    leaving out the heuristics named in ``exclude``."""
    n = len(snapshot.nodes.get(label, []))
    keep = np.ones(n)
    es = snapshot.edges.get(("Signal", "FLAGS", label))
    scores = snapshot.node_attrs.get("Signal", {}).get("score")
    if es is None or scores is None or len(es) == 0:
        return np.zeros(n)
    s = np.clip(np.nan_to_num(scores.astype(np.float64)[es.src]), 0.0, 1.0)
    names = snapshot.node_attrs.get("Signal", {}).get("heuristic")
    if exclude and names is not None:
        s = np.where(np.isin(names[es.src], list(exclude)), 0.0, s)
    np.multiply.at(keep, es.dst, 1.0 - s)
    return 1.0 - keep


class PropagationEngine:
    name = "propagation"

    def __init__(self, driver: Driver, database: str, snapshot: GraphSnapshot,
                 state: IncrementalPropagation, gnn: dict[str, float],
                 config: PropagationConfig, combiner: Combiner | None = None) -> None:
        self.driver, self.database = driver, database
        self.snapshot, self.state, self.config = snapshot, state, config
        self.graph = state.graph
        self.gnn = gnn
        self.combiner = combiner
        self.heur = {lb: heuristic_evidence(snapshot, lb) for lb in LABEL_OF.values()}
        # The learned combination was fitted on the heuristics that read no labels.
        self.heur_free = heuristic_evidence(snapshot, "Account", SELF_LABEL_HEURISTICS)
        self._lock = threading.Lock()
        self.built_at = time.time()

    @classmethod
    def build(cls, driver: Driver, database: str, *, cache_dir: Path | None = None,
              config: PropagationConfig | None = None, as_of: float | None = None,
              progress: bool = False, models_root: Path | None = None) -> PropagationEngine:
        config = config or PropagationConfig()
        t0 = time.monotonic()
        snap = export_snapshot(driver, database, cache_dir=cache_dir, progress=progress)
        graph = build_propagation_graph(snap, config, as_of=as_of)
        seeds = seed_vector(graph, seeds_from_snapshot(snap, config, as_of))
        state = IncrementalPropagation.from_full(graph, seeds, config)
        recs, _, _ = driver.execute_query(_cypher("gnn_scores"), database_=database,
                                          routing_="r")
        gnn = {r["id"]: float(r["score"]) for r in recs}
        log.info("propagation over %d nodes / %d edges from %d seeds in %.1f s",
                 graph.num_nodes, snap.num_edges, int((seeds > 0).sum()),
                 time.monotonic() - t0)
        return cls(driver, database, snap, state, gnn, config, served_combiner(models_root))

    # ------------------------------------------------------------------ risk
    def risk_rows(self, label: str, local: np.ndarray | None = None) -> list[dict[str, Any]]:
        sl = self.graph.type_slice(label)
        ids = self.snapshot.nodes.get(label, [])
        if not ids:
            return []
        local = np.arange(len(ids)) if local is None else local
        prop = self.state.normalised(np.arange(sl.start, sl.stop)[local])
        gnn = None
        if label == "Account" and self.gnn:
            gnn = np.array([self.gnn.get(ids[i], np.nan) for i in local])
        heur = self.heur[label][local]
        drivers: list[list[str]] = [[] for _ in local]
        if label == "Account" and self.combiner is not None and gnn is not None:
            own = self.state.seeds[np.arange(sl.start, sl.stop)[local]]
            risk, drivers = self._learned(prop, gnn, self.heur_free[local], own)
            bands = [band_of(float(r)) for r in risk]
        else:
            risk, bands = _combine(prop, gnn, heur)
        return [{"id": ids[i], "prop": float(p), "risk": float(r), "band": b, "drivers": d}
                for i, p, r, b, d in zip(local.tolist(), prop, risk, bands, drivers,
                                         strict=True)]

    def _learned(self, prop: np.ndarray, gnn: np.ndarray, heur: np.ndarray,
                 own_seed: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
        """The learned combination; each entity's drivers are the components whose
        contribution lifts it above the average account, largest first."""
        assert self.combiner is not None
        have = np.isfinite(gnn)
        # An account scored by no model (opened since `fraudgraph score`) gets the median
        # model score: no evidence either way.
        model = np.where(have, gnn, float(np.median(gnn[have])) if have.any() else 0.5)
        values = {"model": model, "propagation": prop, "heuristics": heur}
        combined = self.combiner.apply(values)
        contrib = self.combiner.contributions(values)
        names = self.combiner.components
        drivers = [[names[j] for j in np.argsort(-row) if row[j] > 0] for row in contrib]
        for i in np.flatnonzero(own_seed > 0):
            drivers[i] = ["own_seed", *drivers[i]]
        return with_own_seed(combined, own_seed), drivers

    def write_back(self, nodes: np.ndarray | None = None) -> int:
        """Write risk for all entities, or for the given global node indices."""
        written = 0
        for label in LABEL_OF.values():
            sl = self.graph.type_slice(label)
            if sl.stop == sl.start:
                continue
            local = None
            if nodes is not None:
                mine = nodes[(nodes >= sl.start) & (nodes < sl.stop)]
                if not len(mine):
                    continue
                local = mine - sl.start
            rows = self.risk_rows(label, local)
            query = template("risk/write_risk", LABEL=label)
            for i in range(0, len(rows), WRITE_BATCH):
                chunk = rows[i:i + WRITE_BATCH]
                with self.driver.session(database=self.database) as session:
                    session.execute_write(_write_rows, query, chunk)
                written += len(chunk)
        return written

    # ------------------------------------------------------------------ API seam
    def explain(self, kind: str, entity_id: str, *, top: int = 5) -> dict[str, Any] | None:
        label = LABEL_OF.get(kind)
        if label is None:
            return None
        with self._lock:
            try:
                ex = explain(self.graph, self.state.seeds, self.state.scores, label, entity_id,
                             self.config, top_k=top, background=self.state.background)
            except UnknownEntityError:
                return None
        paths = []
        for c in ex.contributions:
            nodes = [{"kind": KIND_OF.get(c.node_type, c.node_type.lower()), "id": c.node_id}]
            steps = []
            for st in c.path:
                nodes.append({"kind": KIND_OF.get(st.to_type, st.to_type.lower()), "id": st.to_id})
                steps.append({"from": st.from_id, "to": st.to_id, "rel": st.rel,
                              "forward": st.forward, "amount": st.amount, "at": st.at})
            paths.append({"nodes": nodes, "rels": [s["rel"] for s in steps], "steps": steps,
                          "weight": round(c.path_probability, 6)})
        return {
            "paths": paths,
            "top_seeds": [{"kind": KIND_OF.get(c.node_type, c.node_type.lower()), "id": c.node_id,
                           "seed_weight": c.seed_weight, "contribution": round(c.share, 4)}
                          for c in ex.contributions],
            "explained_fraction": round(ex.explained_fraction, 4),
        }

    def on_new_seeds(self, seeds: list[tuple[str, str, float]]) -> int:
        """Push each new (or retracted, weight 0) seed; write back what moved."""
        changed: list[np.ndarray] = []
        with self._lock:
            for kind, entity_id, weight in seeds:
                label = LABEL_OF.get(kind)
                if label is None:
                    continue
                try:
                    if weight > 0:
                        stats = self.state.add_seed(Seed(label, entity_id, min(weight, 1.0)))
                    else:
                        # A retraction (list entry removed) lowers the seed only to what
                        # the entity's remaining incidents and entries still justify.
                        idx = self.graph.index_of(label, entity_id)
                        stats = self.state.set_seed_weight(idx, self.seed_weight(label,
                                                                                  entity_id))
                except UnknownEntityError:
                    # New to the graph since the last full run: `fraudgraph propagate`
                    # (or the next scheduled one) brings it in.
                    log.info("seed %s not in the propagation graph yet", kind)
                    continue
                changed.append(np.asarray(stats.changed, dtype=np.int64))
        if not changed:
            return 0
        nodes = np.unique(np.concatenate(changed))
        return self.write_back(nodes)

    def seed_weight(self, label: str, entity_id: str) -> float:
        recs, _, _ = self.driver.execute_query(
            template("risk/seed_facts", LABEL=label), id=entity_id,
            now=int(time.time()), database_=self.database, routing_="r")
        if not recs:
            return 0.0
        w = self.config.seed_weights
        share = recs[0]["beneficiary"]  # None: no standing incident names it
        weights = [w["beneficiary"] * min(float(share), 1.0)] if share else []
        weights += [w.get(str(lst), w["grey"]) for lst in recs[0]["lists"]]
        return float(max(weights, default=0.0))

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "loaded": True, "nodes": int(self.graph.num_nodes),
                "seeds": int((self.state.seeds > 0).sum()), "built_at": self.built_at,
                "combination": self.combiner.as_dict() if self.combiner else "fixed rule"}


def served_combiner(models_root: Path | None) -> Combiner | None:
    """The learned combination of the latest registered model, if there is one."""
    if models_root is None:
        return None
    from gnn.registry import latest, read_manifest

    try:
        manifest = read_manifest(latest(models_root))
    except ModelNotFoundError:
        return None
    comb = manifest.get("served", {}).get("combiner")
    return Combiner.from_dict(comb) if comb else None


def _write_rows(tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> None:
    tx.run(query, rows=rows).consume()


def _combine(prop: np.ndarray, gnn: np.ndarray | None,
             heur: np.ndarray) -> tuple[np.ndarray, list[str]]:
    risk, bands = combine_risk_array(prop, gnn, heur)  # NaN = no GNN score for that entity
    return risk, [str(b) for b in bands]

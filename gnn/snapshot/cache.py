"""The export cache: a data fingerprint from cheap count-store reads, and the snapshot
arrays saved as one ``.npz`` per fingerprint under ``var/cache/``.

The fingerprint is: node counts per label, relationship counts per type, the load
batches (count, rows, last update) and the latest detect run. Any load, detection or
manual insert/delete changes it; writes of scores and clusters do not (they are not
inputs of the snapshot). In-place property edits by hand are not seen: pass
``--no-cache`` after such edits.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import Driver

from cypher import statement
from fraudgraph.vocabulary import BANK, DERIVED_LABELS, DERIVED_RELS, LOADED_LABELS, LOADED_RELS
from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.timed import TimedSnapshot
from graph_loader.load import graph_counts

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
# What a snapshot is built from: banks are an account's property there, not nodes.
LABELS = tuple(lb for lb in LOADED_LABELS if lb != BANK) + DERIVED_LABELS
REL_TYPES = tuple(rt for rt in LOADED_RELS if rt != "AT_BANK") + DERIVED_RELS
SEP = "::"


def data_fingerprint(driver: Driver, database: str) -> dict[str, Any]:
    nodes, rels = graph_counts(driver, database, LABELS, REL_TYPES)
    recs, _, _ = driver.execute_query(statement("gnn/load_batches"), database_=database,
                                      routing_="r")
    loads = {k: recs[0][k] for k in ("n", "rows", "last")}
    recs, _, _ = driver.execute_query(statement("gnn/latest_runs"), database_=database,
                                      routing_="r")
    runs = sorted(recs[0]["ids"])
    recs, _, _ = driver.execute_query(statement("risk/corrections"), database_=database,
                                      routing_="r")
    corrections = dict(recs[0])
    return {"format": FORMAT_VERSION, "nodes": nodes, "relationships": rels, "loads": loads,
            "detect_runs": runs, "corrections": corrections}


def fingerprint_hash(fp: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fp, sort_keys=True, default=str).encode()).hexdigest()[:20]


def cache_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"snapshot-{digest}.npz"


def to_arrays(snap: TimedSnapshot) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for t, ids in snap.nodes.items():
        out[SEP.join(("n", t, "ids"))] = np.array(ids, dtype=np.str_) if ids else np.zeros(0, "<U1")
        for name, v in snap.node_attrs.get(t, {}).items():
            out[SEP.join(("n", t, "a", name))] = np.asarray(v)
    for et, es in snap.edges.items():
        key = SEP.join(("e", *et))
        out[key + SEP + "src"] = es.src
        out[key + SEP + "dst"] = es.dst
        if es.amount is not None:
            out[key + SEP + "amount"] = es.amount
        if es.at is not None:
            out[key + SEP + "at"] = es.at
        for name, v in snap.attrs(et).items():
            out[key + SEP + "x" + SEP + name] = v
    return out


def from_arrays(arrays: dict[str, np.ndarray], digest: str) -> TimedSnapshot:
    snap = TimedSnapshot(data_hash=digest)
    edge_parts: dict[tuple[str, str, str], dict[str, np.ndarray]] = {}
    for key, v in arrays.items():
        parts = key.split(SEP)
        if parts[0] == "n" and parts[2] == "ids":
            snap.nodes[parts[1]] = v.tolist()
        elif parts[0] == "n":
            snap.node_attrs.setdefault(parts[1], {})[parts[3]] = v
        else:
            et = (parts[1], parts[2], parts[3])
            name = parts[4] if parts[4] != "x" else "x" + SEP + parts[5]
            edge_parts.setdefault(et, {})[name] = v
    for t in snap.nodes:
        snap.node_attrs.setdefault(t, {})
    for et, cols in edge_parts.items():
        snap.edges[et] = EdgeSet(cols["src"], cols["dst"], cols.get("amount"), cols.get("at"))
        snap.edge_attrs[et] = {k.split(SEP)[1]: v for k, v in cols.items()
                               if k.startswith("x" + SEP)}
    return snap


def save_cached(cache_dir: Path, snap: TimedSnapshot) -> Path:
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_path(cache_dir, snap.data_hash)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **to_arrays(snap))  # type: ignore[arg-type]
    os.replace(tmp, path)  # readers never see a half-written file
    for old in cache_dir.glob("snapshot-*.npz"):
        if old != path and old.stat().st_mtime < path.stat().st_mtime - 7 * 86_400:
            old.unlink(missing_ok=True)
    return path


def load_cached(cache_dir: Path, digest: str) -> TimedSnapshot | None:
    path = cache_path(cache_dir, digest)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as e:
        log.warning("ignoring unreadable cache %s: %s", path, e)
        return None
    return from_arrays(arrays, digest)

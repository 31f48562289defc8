"""Neo4j -> `TimedSnapshot`: paged READ queries that return integer-friendly columns.

Per label, one query collects the nodes' own ids (unique per label, so each page is a
uniqueness-index seek); properties are then read in pages of ids
(``UNWIND $ids ... MATCH (n:Label {id: i})``), and each relationship type is read in
pages of *source* ids, every page returning one list of rows
``[source id, target id, numbers...]``. One big list per page decodes about four times
faster in the Python driver than one record per row, and pages keep the memory of both
the server and this process bounded. Category strings the model needs (channel, SIM
event kind) are coded to small integers in Cypher. Ids map to positions with a sort +
searchsorted. `Bank` is left out: a super-node joined by every account. The statements
are templates in cypher/gnn/export_*.cypher.

Exports are cached under ``var/cache/`` by a data hash (see `gnn.snapshot.cache`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import Driver, ManagedTransaction
from tqdm import tqdm

from cypher import statement, template
from fraudgraph.vocabulary import LABEL_OF
from gnn.errors import ExportError
from gnn.snapshot.cache import data_fingerprint, fingerprint_hash, load_cached, save_cached
from gnn.snapshot.graph import EdgeSet, EdgeType
from gnn.snapshot.timed import CHANNELS, SIM_KINDS, TimedSnapshot

log = logging.getLogger(__name__)

NODE_PAGE = 20_000
EDGE_PAGE = 5_000  # source nodes per page


@dataclass(frozen=True)
class NodeQuery:
    label: str
    floats: tuple[tuple[str, str], ...] = ()  # (attribute, Cypher expression over n)
    strings: tuple[tuple[str, str], ...] = ()
    where: str = ""


@dataclass(frozen=True)
class EdgeQuery:
    edge_type: EdgeType
    pattern: str  # from source `a` to target `b`
    columns: tuple[tuple[str, str], ...] = ()  # 'amount'/'at' go to the EdgeSet
    where: str = ""


def _code(expr: str, values: tuple[str, ...]) -> str:
    """A Cypher CASE that maps a string property to its position in ``values`` (-1 else)."""
    whens = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(values))
    return f"CASE {expr} {whens} ELSE -1 END"


NODE_QUERIES: tuple[NodeQuery, ...] = (
    NodeQuery("Account", (("opened_at", "n.opened_ts"),), (("bank", "n.bank"), ("kind", "n.kind"))),
    NodeQuery("Person"),
    NodeQuery("Phone"),
    NodeQuery("Device"),
    # A retracted incident (POST /v1/incidents/{id}/retract) is no evidence: no seed, no
    # label, no edges (edges are read from the exported sources only).
    NodeQuery("Incident", (("reported_at", "n.reported_ts"), ("occurred_at", "n.occurred_ts"),
                           ("amount", "n.amount")), (("scheme", "n.scheme"),),
              where="WHERE n.retracted_at IS NULL"),
    NodeQuery("ListEntry", (("since", "n.since_ts"), ("until", "n.until_ts")),
              (("list", "n.list"), ("entity_kind", "n.entity_kind"))),
    NodeQuery("Signal", (("score", "n.score"),), (("heuristic", "n.heuristic"),),
              where="WHERE n.run_id = $run_id"),
    NodeQuery("DetectRun", (("as_of", "n.as_of"), ("window_s", "n.window_s")),
              where="WHERE n.id = $run_id"),
    # Investigators' verdicts (casework/): labels only, never model input (gnn/models/data.py).
    NodeQuery("Verdict", strings=(("verdict", "n.verdict"),)),
)

_TARGETS = tuple(LABEL_OF.values())
EDGE_QUERIES: tuple[EdgeQuery, ...] = (
    EdgeQuery(("Account", "TRANSFERRED", "Account"), "(a)-[r:TRANSFERRED]->(b:Account)",
              (("amount", "r.amount"), ("at", "r.ts"), ("channel", _code("r.channel", CHANNELS)),
               ("interbank", "CASE WHEN r.interbank THEN 1 ELSE 0 END"))),
    EdgeQuery(("Person", "HOLDS", "Account"), "(a)-[:HOLDS]->(b:Account)",
              (("since", "b.opened_ts"),)),
    EdgeQuery(("Account", "USED", "Device"), "(a)-[r:USED]->(b:Device)",
              (("since", "r.first_ts"), ("last", "r.last_ts"))),
    EdgeQuery(("Person", "HAS_PHONE", "Phone"), "(a)-[r:HAS_PHONE]->(b:Phone)",
              (("since", "r.since_ts"),)),
    EdgeQuery(("Person", "SIM_EVENT", "Phone"), "(a)-[r:SIM_EVENT]->(b:Phone)",
              (("at", "r.ts"), ("kind", _code("r.kind", SIM_KINDS)))),
    EdgeQuery(("Phone", "CALLED", "Phone"), "(a)-[r:CALLED]->(b:Phone)",
              (("at", "r.ts"), ("duration_s", "r.duration_s"))),
    *(EdgeQuery(("Incident", rel, target), f"(a)-[:{rel}]->(b:{target})",
                (("at", "a.reported_ts"),))
      for rel, target in (("VICTIM", "Account"), ("CALLER", "Phone"))),
    # seed_weight: below 1 while a bank's report naming another bank's customer awaits
    # the AFC's confirmation (api/routes/incidents.py).
    EdgeQuery(("Incident", "BENEFICIARY", "Account"), "(a)-[r:BENEFICIARY]->(b:Account)",
              (("at", "a.reported_ts"), ("seed_weight", "coalesce(r.seed_weight, 1.0)"))),
    *(EdgeQuery(("ListEntry", "LISTS", target), f"(a)-[:LISTS]->(b:{target})",
                (("since", "a.since_ts"), ("until", "a.until_ts")))
      for target in _TARGETS),
    *(EdgeQuery(("Signal", "FLAGS", target), f"(a)-[:FLAGS]->(b:{target})")
      for target in _TARGETS),
    # `decided`, not `at`: a verdict is recorded in wall time, which must not move the
    # snapshot's data end (TimedSnapshot.latest_time); gnn/snapshot/labels.py reads it itself.
    EdgeQuery(("Verdict", "VERDICT_ON", "Account"), "(a)-[:VERDICT_ON]->(b:Account)",
              (("decided", "a.at_ts"),)),
)


def _single(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[Any]:
    rec = tx.run(query, params).single()
    return [] if rec is None else list(rec[0] or [])


def _pages(ids: np.ndarray, size: int) -> list[list[str]]:
    return [ids[i:i + size].tolist() for i in range(0, ids.size, size)]


def _float_col(rows: list[list[Any]], i: int) -> np.ndarray:
    # None becomes NaN in a float64 array.
    return np.array([r[i] for r in rows], dtype=np.float64) if rows else np.zeros(0)


def _str_col(rows: list[list[Any]], i: int) -> np.ndarray:
    values = [("" if r[i] is None else str(r[i])) for r in rows]
    return np.array(values, dtype=np.str_) if values else np.zeros(0, dtype="<U1")


def _ids(values: list[Any]) -> np.ndarray:
    return np.array([str(v) for v in values], dtype=np.str_) if values else np.zeros(0, "<U1")


class _IdMap:
    """Node ids of one label -> positions in the snapshot's node list."""

    def __init__(self, nids: np.ndarray) -> None:
        self.order = np.argsort(nids, kind="stable")
        self.sorted = nids[self.order]

    def positions(self, nids: np.ndarray, what: str) -> np.ndarray:
        if nids.size == 0:
            return np.zeros(0, dtype=np.int64)
        if self.sorted.size == 0:
            raise ExportError(f"{what}: endpoints of an empty label")
        i = np.minimum(np.searchsorted(self.sorted, nids), self.sorted.size - 1)
        if not np.array_equal(self.sorted[i], nids):
            raise ExportError(f"{what}: an endpoint was not in its node query (concurrent write?)")
        return self.order[i].astype(np.int64)


class _Reader:
    def __init__(self, driver: Driver, database: str, params: dict[str, Any],
                 progress: bool) -> None:
        self.driver, self.database, self.params, self.progress = driver, database, params, progress

    def read(self, query: str, **params: Any) -> list[Any]:
        with self.driver.session(database=self.database, default_access_mode="READ") as s:
            return s.execute_read(_single, query, {**self.params, **params})

    def paged(self, query: str, ids: np.ndarray, size: int, desc: str) -> list[list[Any]]:
        rows: list[list[Any]] = []
        pages = _pages(ids, size)
        for page in tqdm(pages, desc=desc, unit="page", disable=not self.progress or len(pages) < 3,
                         leave=False):
            rows.extend(self.read(query, ids=page))
        return rows


def _latest_run(driver: Driver, database: str) -> str | None:
    recs, _, _ = driver.execute_query(statement("gnn/latest_run"), database_=database,
                                      routing_="r")
    return str(recs[0]["id"]) if recs else None


def _export_nodes(reader: _Reader, snap: TimedSnapshot) -> dict[str, tuple[np.ndarray, _IdMap]]:
    maps: dict[str, tuple[np.ndarray, _IdMap]] = {}
    for nq in NODE_QUERIES:
        nids = _ids(reader.read(template("gnn/export_node_ids", LABEL=nq.label, WHERE=nq.where)))
        exprs = "".join(", " + e for _, e in (*nq.floats, *nq.strings))
        rows = reader.paged(template("gnn/export_nodes", LABEL=nq.label, COLUMNS=exprs),
                            nids, NODE_PAGE, nq.label)
        got = _ids([r[0] for r in rows])
        maps[nq.label] = (got, _IdMap(got))
        keys = [("" if r[1] is None else str(r[1])) for r in rows]
        snap.nodes[nq.label] = [k or f"{nq.label}:{i}" for k, i in zip(keys, got.tolist(),
                                                                        strict=True)]
        attrs = {name: _float_col(rows, 2 + j) for j, (name, _) in enumerate(nq.floats)}
        off = 2 + len(nq.floats)
        attrs |= {name: _str_col(rows, off + j) for j, (name, _) in enumerate(nq.strings)}
        snap.node_attrs[nq.label] = attrs
    return maps


def export_snapshot(driver: Driver, database: str, *, cache_dir: Path | None = None,
                    progress: bool = True) -> TimedSnapshot:
    """The whole model graph as a snapshot; from ``cache_dir`` if the data is unchanged."""
    digest = fingerprint_hash(data_fingerprint(driver, database))
    if cache_dir is not None:
        cached = load_cached(cache_dir, digest)
        if cached is not None:
            log.info("snapshot %s from cache", digest)
            return cached
    t0 = time.monotonic()
    reader = _Reader(driver, database, {"run_id": _latest_run(driver, database)}, progress)
    snap = TimedSnapshot(data_hash=digest)
    maps = _export_nodes(reader, snap)
    for eq in EDGE_QUERIES:
        s_type, rel, d_type = eq.edge_type
        exprs = "".join(", " + e for _, e in eq.columns)
        query = template("gnn/export_edges", SOURCE=s_type, PATTERN=eq.pattern, WHERE=eq.where,
                          COLUMNS=exprs)
        rows = reader.paged(query, maps[s_type][0], EDGE_PAGE, f"{s_type}-{rel}->{d_type}")
        src_ids = _ids([r[0] for r in rows])
        dst_ids = _ids([r[1] for r in rows])
        src = maps[s_type][1].positions(src_ids, f"{rel} source")
        dst = maps[d_type][1].positions(dst_ids, f"{rel} target")
        cols = {name: _float_col(rows, 2 + j) for j, (name, _) in enumerate(eq.columns)}
        snap.edges[eq.edge_type] = EdgeSet(src, dst, cols.pop("amount", None), cols.pop("at", None))
        snap.edge_attrs[eq.edge_type] = cols
    log.info("exported %d nodes, %d edges in %.1f s (data %s)", snap.num_nodes, snap.num_edges,
             time.monotonic() - t0, digest)
    if cache_dir is not None:
        save_cached(cache_dir, snap)
    return snap

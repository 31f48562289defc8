"""An order-independent content checksum of the graph, to prove that a resumed load
equals an uninterrupted one (same nodes, relationships and properties, nothing twice)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from neo4j import Driver

from cypher import statement

# Bookkeeping that legitimately differs between two equal loads.
VOLATILE = {"updated_at", "applied_at", "risk_updated_at", "created_at"}
SKIP_LABELS = ["LoadBatch", "StreamOffset", "Meta"]

_NODES = statement("checksum/nodes")
_RELS = statement("checksum/relationships")


def _digest(obj: Any) -> int:
    blob = json.dumps(obj, sort_keys=True, default=str).encode()
    return int.from_bytes(hashlib.blake2b(blob, digest_size=8).digest(), "little")


def graph_checksum(driver: Driver, database: str) -> dict[str, Any]:
    """Sum of per-element hashes mod 2**64 (a multiset hash: order-free, counts twice)."""
    total = 0
    nodes = rels = 0
    with driver.session(database=database, default_access_mode="READ") as session:
        for rec in session.run(_NODES, skip=SKIP_LABELS):
            props = {k: v for k, v in rec["props"].items() if k not in VOLATILE}
            total = (total + _digest([sorted(rec["labels"]), props])) % 2**64
            nodes += 1
        for rec in session.run(_RELS, skip=SKIP_LABELS):
            props = {k: v for k, v in rec["props"].items() if k not in VOLATILE}
            total = (total + _digest([rec["type"], rec["a"], rec["b"], props])) % 2**64
            rels += 1
    return {"nodes": nodes, "relationships": rels, "checksum": f"{total:016x}"}

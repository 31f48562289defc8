"""The seam between the API and the risk engine (gnn.propagation, built by the lead).

The API itself reads stored risk properties, heuristic signals and list/incident facts
from the graph (cypher/api/entity_facts.cypher); an engine adds what only it knows:
explanation paths and the seeds that contribute most, and incremental updates when new
seeds (incidents, list entries) arrive. Hand an engine to create_app(engine=...).

Engine contract (`explain` may return None for "nothing beyond the stored facts")::

    {"paths": [{"nodes": [{"kind": "account", "id": "acc_..."}, ...],
                "rels": ["TRANSFERRED", ...], "weight": 0.4}, ...],
     "top_seeds": [{"kind": "account", "id": "acc_...", "contribution": 0.3}, ...],
     "risk": 0.71, "band": "high"}          # optional: a fresher risk than the stored one

`on_new_seeds([(kind, pseudonym, weight), ...])` returns how many entities it updated; a
weight of 0.0 retracts a seed (a list entry was removed). Both are sync and are called in
a worker thread, so a CPU-bound engine does not block the event loop.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol, runtime_checkable

log = logging.getLogger(__name__)

Seed = tuple[str, str, float]


@runtime_checkable
class RiskEngine(Protocol):
    def explain(self, kind: str, entity_id: str, *, top: int = 5) -> dict[str, Any] | None:
        ...

    def on_new_seeds(self, seeds: list[Seed]) -> int:
        ...

    def info(self) -> dict[str, Any]:
        """For /ready: at least {"name": str, "loaded": bool}."""
        ...


class StoredRiskEngine:
    """The default until the propagation engine lands: no paths or seeds of its own (the
    API's graph facts stand alone), and new seeds are only remembered, for the next
    batch scoring run to pick up from the graph anyway."""

    name = "stored-properties"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pending: list[Seed] = []

    def explain(self, kind: str, entity_id: str, *, top: int = 5) -> dict[str, Any] | None:
        del kind, entity_id, top
        return None

    max_pending = 100_000  # a long-running server must not grow without bound

    def on_new_seeds(self, seeds: list[Seed]) -> int:
        with self._lock:
            self.pending.extend(seeds)
            if len(self.pending) > self.max_pending:
                del self.pending[: len(self.pending) - self.max_pending]
        log.info("risk engine %s: %d new seeds queued for the next scoring run",
                 self.name, len(seeds))
        return 0

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "loaded": True, "pending_seeds": len(self.pending)}

"""Writing Signals and DetectRuns, and finding the latest run.

One (:Signal)-[:FLAGS]->(entity) per (run, heuristic, entity); its id is a hash of those
three, so re-running a run id rewrites the same nodes. Every write of a run carries a
generation token; when the run finishes, that run's signals from an older generation are
deleted. Older runs stay for audit. The newest finished run has `latest = true` (and the
Meta node {key: 'detect'} names it), which is what consumers read.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction, RoutingControl

from cypher import statement, template
from cypher.heuristics import Hit
from fraudgraph.vocabulary import LABEL_OF

# The label is filled in from LABEL_OF only (cypher/detect/signals_write.cypher says why).
_START = statement("detect/run_start")
_DELETE_STALE = statement("detect/signals_delete_stale")
_FINISH = statement("detect/run_finish")

def signal_id(run_id: str, heuristic: str, entity_kind: str, entity_id: str) -> str:
    h = hashlib.sha256("\x00".join((run_id, heuristic, entity_kind, entity_id)).encode())
    return f"sig_{h.hexdigest()[:32]}"


def new_run_id(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"run_{stamp}_{secrets.token_hex(3)}"


def signal_rows(run_id: str, heuristic: str, hits: Iterable[Hit]
                ) -> dict[str, list[dict[str, Any]]]:
    """Rows for the write statement, grouped by entity kind (one label per statement)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for h in hits:
        out.setdefault(h.entity_kind, []).append({
            "id": signal_id(run_id, heuristic, h.entity_kind, h.entity_id),
            "entity_kind": h.entity_kind, "entity_id": h.entity_id,
            "score": h.score, "evidence": h.evidence,
        })
    return out


def start_run(driver: Driver, database: str, run_id: str, *, started_at: datetime,
              params: Mapping[str, Any], as_of: int, window_s: int) -> str:
    """Create (or reopen) the run; returns this attempt's generation token."""
    generation = secrets.token_hex(8)
    driver.execute_query(_START, run_id=run_id, started_at=started_at.isoformat(),
                         params=json.dumps(params, sort_keys=True), as_of=as_of,
                         window_s=window_s, generation=generation, database_=database)
    return generation


def _write(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> int:
    rec = tx.run(query, params).single()
    return int(rec["n"]) if rec else 0


def write_signals(driver: Driver, database: str, *, run_id: str, generation: str,
                  heuristic: str, severity: str, hits: list[Hit], created_at: datetime,
                  batch_size: int = 5000) -> int:
    """Batched UNWIND writes in managed transactions; returns signals written."""
    written = 0
    common = {"run_id": run_id, "heuristic": heuristic, "severity": severity,
              "created_at": created_at.isoformat(), "generation": generation}
    with driver.session(database=database) as session:
        for kind, rows in signal_rows(run_id, heuristic, hits).items():
            query = template("detect/signals_write", LABEL=LABEL_OF[kind])
            for i in range(0, len(rows), batch_size):
                written += session.execute_write(
                    _write, query, {**common, "rows": rows[i:i + batch_size]})
    return written


def finish_run(driver: Driver, database: str, *, run_id: str, generation: str,
               finished_at: datetime, ok: bool, summary: Mapping[str, Any],
               calibration: Mapping[str, Any] | None = None, batch_size: int = 10000) -> int:
    """Drop this run's stale signals, record the outcome and, if ok, move `latest` here."""
    deleted = 0
    with driver.session(database=database) as session:
        while True:
            n = session.execute_write(_write, _DELETE_STALE, {
                "run_id": run_id, "generation": generation, "limit": batch_size})
            deleted += n
            if n < batch_size:
                break
    signals = int(sum(v.get("signals", 0) for v in summary.get("heuristics", {}).values()))
    driver.execute_query(_FINISH, run_id=run_id, finished_at=finished_at.isoformat(),
                         status="done" if ok else "failed",
                         summary=json.dumps(summary, sort_keys=True), signals=signals,
                         calibration=json.dumps(calibration or {}, sort_keys=True),
                         database_=database)
    return deleted


def latest_run_id(driver: Driver, database: str) -> str | None:
    recs, _, _ = driver.execute_query(
        statement("detect/latest_run_id"), database_=database, routing_=RoutingControl.READ)
    return recs[0]["id"] if recs else None


def run_signals(driver: Driver, database: str, run_id: str) -> list[dict[str, Any]]:
    """(heuristic, entity_kind, entity_id, score) of every signal of one run."""
    recs, _, _ = driver.execute_query(
        statement("detect/run_signals"), run_id=run_id, database_=database,
        routing_=RoutingControl.READ)
    return [r.data() for r in recs]

"""Heuristic scores per account at a cut-off, from the Cypher heuristics run read-only
(`cypher.heuristics.run_heuristic`) with ``as_of`` just before the cut-off.

This is what the heuristics-only baseline scores on the test window, leak-free: the
Signals of a `fraudgraph detect` run were computed as of that run and may have seen
later data. Hits on persons, phones and devices count for the accounts linked to them
(held, held by a holder of the phone, logged in from the device).

As *model features* these scores are off by default: some heuristics contain the
account's own label (`list_proximity` scores a black-listed account itself at hop 0;
`victim_fan_in` counts the victims of its own incidents), so a model fitted on them
learns the label, not the behaviour. ``TrainOptions.use_signals`` turns them on.
"""

from __future__ import annotations

import logging
import time

import numpy as np
from neo4j import Driver

from gnn.timed import TimedSnapshot, as_of

log = logging.getLogger(__name__)
DAY_S = 86_400


def _accounts_of(snap: TimedSnapshot, kind: str) -> dict[str, np.ndarray] | None:
    """entity id -> account positions linked to it, for persons, phones and devices."""
    def group(keys: np.ndarray, values: np.ndarray, ids: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, list[int]] = {}
        for k, v in zip(keys.tolist(), values.tolist(), strict=True):
            out.setdefault(ids[k], []).append(v)
        return {k: np.array(v, dtype=np.int64) for k, v in out.items()}

    holds = snap.edge(("Person", "HOLDS", "Account"))
    if kind == "person" and holds is not None:
        return group(holds.src, holds.dst, snap.nodes["Person"])
    used = snap.edge(("Account", "USED", "Device"))
    if kind == "device" and used is not None:
        return group(used.dst, used.src, snap.nodes["Device"])
    phones = snap.edge(("Person", "HAS_PHONE", "Phone"))
    if kind == "phone" and phones is not None and holds is not None:
        per_person = group(holds.src, holds.dst, list(map(str, range(snap.count("Person")))))
        pairs = [(p_ph, acc) for p, p_ph in zip(phones.src.tolist(), phones.dst.tolist(),
                                                 strict=True)
                 for acc in per_person.get(str(p), np.zeros(0, np.int64)).tolist()]
        if not pairs:
            return {}
        arr = np.array(pairs, dtype=np.int64)
        return group(arr[:, 0], arr[:, 1], snap.nodes["Phone"])
    return None


def heuristic_signals(driver: Driver, database: str, snapshot: TimedSnapshot, cutoff: float,
                      window_days: float = 30.0, only: list[str] | None = None
                      ) -> dict[str, np.ndarray]:
    """heuristic name -> per-account score in [0, 1] as of ``cutoff`` (0 = no hit)."""
    from cypher.errors import CypherError
    from cypher.heuristics import load_heuristics, resolve_params, run_heuristic

    catalog = load_heuristics()
    if only:
        catalog = {k: v for k, v in catalog.items() if k in only}
    params = resolve_params(catalog, {})
    snap = as_of(snapshot, cutoff)
    index = snapshot.index("Account")
    n = snapshot.count("Account")
    links: dict[str, dict[str, np.ndarray] | None] = {}
    out: dict[str, np.ndarray] = {}
    for name, h in catalog.items():
        t0 = time.monotonic()
        try:
            run = run_heuristic(driver, database, h, params[name], as_of=int(cutoff) - 1,
                                window_s=int(window_days * DAY_S))
        except CypherError as e:
            log.warning("heuristic %s skipped: %s", name, e)
            continue
        col = np.zeros(n)
        for hit in run.hits:
            if hit.entity_kind == "account":
                i = index.get(hit.entity_id)
                if i is not None:
                    col[i] = max(col[i], hit.score)
                continue
            if hit.entity_kind not in links:
                links[hit.entity_kind] = _accounts_of(snap, hit.entity_kind)
            table = links[hit.entity_kind] or {}
            accs = table.get(hit.entity_id)
            if accs is not None:
                col[accs] = np.maximum(col[accs], hit.score)
        out[name] = col
        log.info("heuristic %s as of %d: %d hits in %.1f s", name, int(cutoff), len(run.hits),
                 time.monotonic() - t0)
    return out

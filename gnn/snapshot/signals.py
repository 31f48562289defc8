"""Heuristic scores per account at a cut-off, from the Cypher heuristics run read-only
(`cypher.heuristics.run_heuristic`) with ``as_of`` just before the cut-off.

This is what the heuristics-only baseline scores on the test window, leak-free: the
Signals of a `fraudgraph detect` run were computed as of that run and may have seen
later data. Hits on persons, phones and devices count for the accounts linked to them
(held, held by a holder of the phone, logged in from the device).

As *model features* (``TrainOptions.use_signals``) the heuristics that contain the
account's own label are left out: `list_proximity` scores a black-listed account itself
at hop 0 and `victim_fan_in` counts the victims of its own incidents, so a model fitted
on them would learn the label, not the behaviour.
"""

from __future__ import annotations

import logging
import time

import numpy as np
from neo4j import Driver

from fraudgraph.vocabulary import KIND_OF
from gnn.snapshot.timed import TimedSnapshot, as_of

log = logging.getLogger(__name__)
DAY_S = 86_400
# Heuristics that read the labels themselves (list entries, incidents' victims): nearness
# to known fraud, which propagation already carries. Neither a model feature nor part of
# the learned risk combination: on a known ring they fire because it is known.
SELF_LABEL_HEURISTICS = frozenset({"list_proximity", "victim_fan_in"})


def feature_signals(signals: dict[str, np.ndarray] | None) -> dict[str, np.ndarray] | None:
    """The signals a model may use as features (no self-label heuristics)."""
    if signals is None:
        return None
    return {k: v for k, v in signals.items() if k not in SELF_LABEL_HEURISTICS}


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


def _fold(snap: TimedSnapshot, kind: str, ids: list[str], scores: np.ndarray,
          col: np.ndarray, links: dict[str, dict[str, np.ndarray] | None],
          index: dict[str, int]) -> None:
    """Max-fold hits on entities of ``kind`` into the per-account column."""
    if kind == "account":
        for eid, sc in zip(ids, scores.tolist(), strict=True):
            i = index.get(eid)
            if i is not None:
                col[i] = max(col[i], sc)
        return
    if kind not in links:
        links[kind] = _accounts_of(snap, kind)
    table = links[kind] or {}
    for eid, sc in zip(ids, scores.tolist(), strict=True):
        accs = table.get(eid)
        if accs is not None:
            col[accs] = np.maximum(col[accs], sc)


def detect_run_signals(snapshot: TimedSnapshot, cutoff: float, slack_s: float = DAY_S
                       ) -> dict[str, np.ndarray] | None:
    """The latest `fraudgraph detect` run's signals, if that run looked at the data as of
    the cut-off (its ``as_of`` within ``slack_s`` before it, never after): scoring "now"
    then needs no heuristic queries. None when there is no such run."""
    as_ofs = snapshot.node_attr("DetectRun", "as_of")
    if as_ofs is None or as_ofs.size == 0 or not np.isfinite(as_ofs[0]):
        return None
    run_as_of = float(as_ofs[0])
    if not cutoff - 1 - slack_s <= run_as_of < cutoff:
        return None
    names = snapshot.node_attr("Signal", "heuristic")
    scores = snapshot.node_attr("Signal", "score")
    out: dict[str, np.ndarray] = {}
    if names is None or scores is None:
        return out
    links: dict[str, dict[str, np.ndarray] | None] = {}
    snap = as_of(snapshot, cutoff)
    index = snapshot.index("Account")
    for target, kind in KIND_OF.items():
        es = snapshot.edge(("Signal", "FLAGS", target))
        if es is None or not len(es):
            continue
        ids = [snapshot.nodes[target][i] for i in es.dst.tolist()]
        for name in np.unique(names[es.src]).tolist():
            sel = names[es.src] == name
            col = out.setdefault(str(name), np.zeros(snapshot.count("Account")))
            _fold(snap, kind, [i for i, k in zip(ids, sel.tolist(), strict=True) if k],
                  np.nan_to_num(scores[es.src[sel]], nan=1.0), col, links, index)
    return out


def heuristic_signals(driver: Driver, database: str, snapshot: TimedSnapshot, cutoff: float,
                      window_days: float = 30.0, only: list[str] | None = None
                      ) -> dict[str, np.ndarray]:
    """heuristic name -> per-account score in [0, 1] as of ``cutoff`` (0 = no hit)."""
    from cypher.calibration import calibrate
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
    as_of_s, window_s = int(cutoff) - 1, int(window_days * DAY_S)
    # One calibration for all heuristics of this cut-off (each would measure it again).
    cal = calibrate(driver, database, as_of=as_of_s, window_s=window_s)
    for name, h in catalog.items():
        t0 = time.monotonic()
        try:
            run = run_heuristic(driver, database, h, params[name], as_of=as_of_s,
                                window_s=window_s, calibration=cal)
        except CypherError as e:
            log.warning("heuristic %s skipped: %s", name, e)
            continue
        col = np.zeros(n)
        by_kind: dict[str, list[tuple[str, float]]] = {}
        for hit in run.hits:
            by_kind.setdefault(hit.entity_kind, []).append((hit.entity_id, hit.score))
        for kind, hits in by_kind.items():
            _fold(snap, kind, [h[0] for h in hits], np.array([h[1] for h in hits]), col, links,
                  index)
        out[name] = col
        log.info("heuristic %s as of %d: %d hits in %.1f s", name, int(cutoff), len(run.hits),
                 time.monotonic() - t0)
    return out

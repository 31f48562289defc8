"""Precision and recall of heuristics against a generated world's truth (pure functions).

Truth (docs/feeds.md): DIR/truth/entities.csv, read by `generator.truth_reader` (the one
reader of the format). An entity counts for recall when it is
fraud and active by `as_of` (and, when schemes.csv gives scheme spans, its scheme overlaps
the look-back window: a heuristic cannot see a scheme that ended before the window).
Precision counts every flagged entity that is fraud at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.truth_reader import TruthRow

PRECISION_FLOOR = 0.3
Key = tuple[str, str]


@dataclass
class Truth:
    fraud: set[Key] = field(default_factory=set)
    recallable: set[Key] = field(default_factory=set)
    known: set[Key] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    scheme_type: dict[Key, str] = field(default_factory=dict)


def build_truth(rows: Iterable[TruthRow], *, as_of: int, window_s: int | None = None,
                spans: Mapping[str, tuple[int, int]] | None = None) -> Truth:
    t = Truth()
    lo = as_of - window_s if window_s is not None else None
    for r in rows:
        t.kinds.add(r.kind)
        if not r.is_fraud:
            continue
        key = (r.kind, r.id)
        t.fraud.add(key)
        t.scheme_type[key] = r.scheme_type
        if r.known_at is not None and r.known_at <= as_of:
            t.known.add(key)
        if r.active_from is not None and r.active_from > as_of:
            continue
        span = (spans or {}).get(r.scheme_id)
        if span is not None and lo is not None and span[1] < lo:
            continue
        t.recallable.add(key)
    return t


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def score_flags(flagged: set[Key], kinds: set[str], truth: Truth, *,
                floor: float = PRECISION_FLOOR) -> dict[str, Any]:
    """Hits, precision, recall (and both for fraud not yet known) for one flag set."""
    scored = {k for k in flagged if k[0] in truth.kinds}
    tp = scored & truth.fraud
    pool = {k for k in truth.recallable if k[0] in kinds}
    hidden = pool - truth.known
    precision = _ratio(len(tp), len(scored))
    # Among flags not already known: the share that are fraud no one has reported yet.
    fresh = scored - truth.known
    return {
        "hits": len(flagged),
        "true_positives": len(tp),
        "precision": precision,
        "recall": _ratio(len(tp & pool), len(pool)),
        "recall_unknown": _ratio(len(tp & hidden), len(hidden)),
        "precision_unknown": _ratio(len(tp & fresh), len(fresh)),
        "new_finds": len(tp - truth.known),
        "fraud_in_scope": len(pool),
        "low_precision": precision is not None and len(scored) > 0 and precision < floor,
        "unscored": len(flagged) - len(scored),
    }


def evaluate(signals: Iterable[Mapping[str, Any]], kinds: Mapping[str, str], truth: Truth, *,
             held_accounts: Mapping[str, Iterable[str]] | None = None,
             floor: float = PRECISION_FLOOR) -> dict[str, Any]:
    """Per-heuristic metrics and the union's recall over fraud accounts.

    `kinds` maps each heuristic to the entity kind it flags (so a heuristic with no hits
    still gets a recall of 0). `held_accounts` maps flagged persons to their accounts, for
    the union counted through holders.
    """
    flags: dict[str, set[Key]] = {name: set() for name in kinds}
    for s in signals:
        flags.setdefault(str(s["heuristic"]), set()).add((str(s["entity_kind"]),
                                                          str(s["entity_id"])))
    per = {name: score_flags(f, {kinds[name]} if name in kinds else {k for k, _ in f},
                             truth, floor=floor) for name, f in sorted(flags.items())}
    direct = {k for f in flags.values() for k in f if k[0] == "account"}
    via = set(direct)
    for f in flags.values():
        for kind, eid in f:
            if kind == "person":
                via.update(("account", a) for a in (held_accounts or {}).get(eid, ()))
    pool = {k for k in truth.recallable if k[0] == "account"}
    by_scheme: dict[str, dict[str, Any]] = {}
    for key in pool:
        st = truth.scheme_type.get(key, "") or "unknown"
        b = by_scheme.setdefault(st, {"fraud_accounts": 0, "flagged": 0})
        b["fraud_accounts"] += 1
        b["flagged"] += key in via
    for b in by_scheme.values():
        b["recall"] = _ratio(b["flagged"], b["fraud_accounts"])
    union = {
        "fraud_accounts": len(pool),
        "flagged_accounts": len(direct),
        "flagged_fraud_accounts": len(direct & pool),
        "recall_accounts": _ratio(len(direct & pool), len(pool)) or 0.0,
        "precision_accounts": _ratio(len(direct & truth.fraud), len(direct)),
        "recall_accounts_via_holders": _ratio(len(via & pool), len(pool)) or 0.0,
        "by_scheme_type": dict(sorted(by_scheme.items())),
    }
    low = sorted(n for n, m in per.items() if m["low_precision"])
    return {"heuristics": per, "union": union, "low_precision": low, "precision_floor": floor}

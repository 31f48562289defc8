"""Alert rules (pure): merge an entity's signals into one piece of evidence, decide
whether it deserves an alert, give it a priority, and decide what a new run does with
it given the entity's previous alert.

- **Merge.** Every source row (a heuristic's signal, a GNN score, a combined risk and
  band, a cluster membership) names an entity; all rows of one entity become one
  `Evidence`, so an entity has one alert however many detectors fired on it.
- **Qualify.** An entity is alerted when its band reaches ``min_band``, its GNN score
  reaches ``gnn_min``, a high-severity heuristic or ``heuristics_min`` distinct
  heuristics flagged it, or it sits in an active cluster of at least
  ``cluster_min_size`` accounts. An active cluster of at least
  ``cluster_min_size`` accounts is an alert of its own (kind ``cluster``).
- **Priority** (0-100) = 100 * (w * strength + (1 - w) * money), where strength is the
  strongest of risk, GNN score and heuristic score, and money is the money at stake on
  a log scale (``money_ref_kzt`` or more scores 1): a 10 M tenge mule outranks a 20 k
  one at the same risk, and a certain one outranks an uncertain one with more money.
- **Dedup.** An open (or in-case) alert is updated, never duplicated. A dismissed or
  closed alert *holds*: the entity is not re-alerted until its evidence materially
  changes against what the investigator saw (band up, a heuristic not seen before,
  GNN score up by ``material_score_rise``, a new cluster, money at stake multiplied by
  ``material_money_ratio``, a cluster grown by ``cluster_material_growth``) or the
  hold expires after ``dismissal_expiry_days``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from casework.errors import CaseworkError
from fraudgraph.vocabulary import BAND_RANK as BAND_RANK

DAY_S = 86_400
OPEN_STATUSES = ("open", "in_case")
HELD_STATUSES = ("dismissed", "closed")


@dataclass(frozen=True)
class AlertConfig:
    min_band: str = "high"
    gnn_min: float = 0.5
    heuristics_min: int = 2
    weight_risk: float = 0.7
    money_ref_kzt: float = 10_000_000.0
    money_window_days: int = 30
    cluster_min_size: int = 3
    material_score_rise: float = 0.15
    material_money_ratio: float = 2.0
    cluster_material_growth: float = 0.5
    dismissal_expiry_days: float = 90.0

    def __post_init__(self) -> None:
        if self.min_band not in BAND_RANK:
            raise CaseworkError(f"min_band must be one of {', '.join(BAND_RANK)}")
        if not 0.0 <= self.weight_risk <= 1.0:
            raise CaseworkError("weight_risk must be in [0, 1]")


@dataclass
class Evidence:
    """Everything the latest runs say about one entity (or one cluster)."""

    kind: str  # account, person, phone, device, or cluster
    entity_id: str
    banks: set[str] = field(default_factory=set)
    risk: float | None = None
    band: str | None = None
    gnn_score: float | None = None
    heuristics: dict[str, float] = field(default_factory=dict)  # name -> best score
    severe: set[str] = field(default_factory=set)  # heuristics of severity high
    clusters: set[str] = field(default_factory=set)
    money_kzt: float = 0.0
    scheme: str | None = None
    size: int | None = None  # clusters: member accounts
    growth_rate: float | None = None  # clusters

    @property
    def key(self) -> str:
        return entity_key(self.kind, self.entity_id)

    def fingerprint(self) -> dict[str, Any]:
        """What a dismissal remembers, to tell later whether the evidence changed."""
        return {"band": self.band, "gnn_score": self.gnn_score,
                "heuristics": sorted(self.heuristics), "clusters": sorted(self.clusters),
                "money_kzt": self.money_kzt, "size": self.size}


def entity_key(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def alert_id(kind: str, entity_id: str, raised_ts: int, after: str | None = None) -> str:
    """``after``: the held alert a re-raise follows. Runs on unchanged data share one
    as-of (the newest transfer), so a re-raise can come at the held alert's own as-of;
    it needs an id of its own, or the upsert would fold it into the dismissed alert."""
    key = f"{kind}\x00{entity_id}\x00{raised_ts}"
    if after is not None:
        key += f"\x00{after}"
    return f"alr_{hashlib.sha256(key.encode()).hexdigest()[:24]}"


def _max(a: float | None, b: Any) -> float | None:
    if b is None:
        return a
    b = float(b)
    return b if a is None or b > a else a


def merge(rows: Iterable[Mapping[str, Any]]) -> dict[str, Evidence]:
    """Source rows -> one Evidence per entity key. A row has ``kind`` and ``id`` and any
    of: ``bank``/``banks``, ``risk``, ``band``, ``gnn_score``, ``heuristic`` (+ ``score``,
    ``severity``), ``cluster``, ``money_kzt``, ``scheme``, ``size``, ``growth_rate``.
    Repeated facts keep the strongest value (the higher band, the best score)."""
    out: dict[str, Evidence] = {}
    for r in rows:
        key = entity_key(str(r["kind"]), str(r["id"]))
        e = out.get(key)
        if e is None:
            e = out[key] = Evidence(str(r["kind"]), str(r["id"]))
        if r.get("bank"):
            e.banks.add(str(r["bank"]))
        e.banks.update(str(b) for b in (r.get("banks") or []) if b)
        e.risk = _max(e.risk, r.get("risk"))
        band = r.get("band")
        if (isinstance(band, str) and band in BAND_RANK
                and (e.band is None or BAND_RANK[band] > BAND_RANK[e.band])):
            e.band = band
        e.gnn_score = _max(e.gnn_score, r.get("gnn_score"))
        if r.get("heuristic"):
            name = str(r["heuristic"])
            e.heuristics[name] = max(e.heuristics.get(name, 0.0), float(r.get("score") or 0.0))
            if r.get("severity") == "high":
                e.severe.add(name)
        if r.get("cluster"):
            e.clusters.add(str(r["cluster"]))
        if r.get("money_kzt") is not None:
            e.money_kzt = max(e.money_kzt, float(r["money_kzt"]))
        if r.get("scheme"):
            e.scheme = str(r["scheme"])
        if r.get("size") is not None:
            e.size = int(r["size"])
        if r.get("growth_rate") is not None:
            e.growth_rate = float(r["growth_rate"])
    return out


def reasons(e: Evidence, cfg: AlertConfig) -> list[str]:
    """Why this evidence deserves an alert (empty: it does not)."""
    out: list[str] = []
    if e.kind == "cluster":
        if (e.size or 0) >= cfg.cluster_min_size:
            out.append(f"cluster of {e.size} accounts")
        return out
    if e.band is not None and BAND_RANK[e.band] >= BAND_RANK[cfg.min_band]:
        out.append(f"risk band {e.band}")
    if e.gnn_score is not None and e.gnn_score >= cfg.gnn_min:
        out.append(f"model score {e.gnn_score:.2f}")
    if e.severe:
        out.append("high-severity heuristic: " + ", ".join(sorted(e.severe)))
    elif len(e.heuristics) >= cfg.heuristics_min:
        out.append("heuristics: " + ", ".join(sorted(e.heuristics)))
    if e.clusters:
        out.append("in cluster " + ", ".join(sorted(e.clusters)))
    return out


def strength(e: Evidence) -> float:
    """The strongest single indication in [0, 1]."""
    heur = max(e.heuristics.values(), default=0.0)
    s = max(e.risk or 0.0, e.gnn_score or 0.0, min(1.0, heur))
    if e.kind == "cluster" and e.growth_rate is not None and e.growth_rate > 0:
        # A growing cluster is more urgent than a static one of the same risk.
        s = min(1.0, s + 0.2 * min(1.0, e.growth_rate))
    return max(0.0, min(1.0, s))


def money_factor(money_kzt: float, ref_kzt: float) -> float:
    if money_kzt <= 0:
        return 0.0
    return min(1.0, math.log1p(money_kzt) / math.log1p(ref_kzt))


def priority(e: Evidence, cfg: AlertConfig) -> float:
    w = cfg.weight_risk
    return round(100.0 * (w * strength(e) + (1 - w) * money_factor(e.money_kzt,
                                                                   cfg.money_ref_kzt)), 2)


def material_changes(before: Mapping[str, Any], e: Evidence, cfg: AlertConfig) -> list[str]:
    """How the evidence changed materially since ``before`` (a fingerprint)."""
    out: list[str] = []
    old_band = before.get("band")
    if e.band is not None and BAND_RANK[e.band] > BAND_RANK.get(old_band or "", -1):
        out.append(f"band {old_band or 'none'} -> {e.band}")
    new_heur = sorted(set(e.heuristics) - set(before.get("heuristics") or []))
    if new_heur:
        out.append("new heuristics: " + ", ".join(new_heur))
    old_gnn = before.get("gnn_score")
    if e.gnn_score is not None and e.gnn_score - (old_gnn or 0.0) >= cfg.material_score_rise:
        out.append(f"model score {old_gnn if old_gnn is not None else 'none'} -> "
                   f"{e.gnn_score:.2f}")
    new_clusters = sorted(e.clusters - set(before.get("clusters") or []))
    if new_clusters:
        out.append("joined cluster " + ", ".join(new_clusters))
    old_money = float(before.get("money_kzt") or 0.0)
    if e.money_kzt > 0 and e.money_kzt >= cfg.material_money_ratio * max(old_money, 1.0):
        out.append(f"money at stake {old_money:.0f} -> {e.money_kzt:.0f} KZT")
    old_size = before.get("size")
    if e.size is not None and old_size and e.size >= (1 + cfg.cluster_material_growth) * old_size:
        out.append(f"cluster grew {old_size} -> {e.size}")
    return out


class Action(StrEnum):
    RAISE = "raise"  # a new alert
    UPDATE = "update"  # refresh the open alert
    SUPPRESS = "suppress"  # held by a dismissal or a closed case


@dataclass(frozen=True)
class Prior:
    """The entity's latest alert, as the store read it."""

    id: str
    status: str
    held_since_ts: int | None  # dismissed_ts or closed_ts
    fingerprint: Mapping[str, Any]  # the evidence when it was dismissed or closed


@dataclass(frozen=True)
class Decision:
    action: Action
    why: list[str]


def decide(e: Evidence, prior: Prior | None, now_ts: int, cfg: AlertConfig) -> Decision:
    """What this run does about qualifying evidence ``e``."""
    if prior is None:
        return Decision(Action.RAISE, ["first alert"])
    if prior.status in OPEN_STATUSES:
        return Decision(Action.UPDATE, [])
    held = prior.held_since_ts if prior.held_since_ts is not None else now_ts
    if now_ts - held >= cfg.dismissal_expiry_days * DAY_S:
        return Decision(Action.RAISE, [f"previous alert {prior.status} over "
                                       f"{cfg.dismissal_expiry_days:g} days ago"])
    changes = material_changes(prior.fingerprint, e, cfg)
    if changes:
        return Decision(Action.RAISE, [f"evidence changed since {prior.status}", *changes])
    return Decision(Action.SUPPRESS, [f"held by {prior.status} alert {prior.id}"])

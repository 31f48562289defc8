"""The heuristic catalog (cypher/heuristics/*.cypher) and running one heuristic read-only.

Every heuristic returns rows (entity_kind, entity_id, score, evidence). The runner supplies
`as_of`, `window_s` and `max_evidence`; each file declares its own tuning parameters.
Thresholds declared with `@derive` come from the data (cypher.calibration) unless the
caller gives them as absolute overrides.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver, Query, RoutingControl
from neo4j.exceptions import Neo4jError

from cypher.calibration import Calibration, Derive, calibrate, derive_value, parse_derive
from cypher.catalog import IMPLICIT_BY_DIR, CypherFile, load_dir, package_dir
from cypher.errors import CatalogError, ParameterError, QueryFailedError
from cypher.params import ParamSet
from cypher.readonly import write_clauses
from fraudgraph.vocabulary import ENTITY_KINDS

IMPLICIT = IMPLICIT_BY_DIR["heuristics"]
SEVERITIES = ("low", "medium", "high")
MAX_EVIDENCE = 25
ROW_KEYS = ("entity_kind", "entity_id", "score", "evidence")


@dataclass(frozen=True)
class Heuristic:
    file: CypherFile

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def severity(self) -> str:
        return self.file.tag("severity")

    @property
    def entity(self) -> str:
        return self.file.tag("entity")

    @property
    def scheme(self) -> str:
        return self.file.tag("scheme", "any")

    @property
    def title(self) -> str:
        return self.file.tag("title", self.name)

    @property
    def params(self) -> ParamSet:
        return self.file.params

    @property
    def derives(self) -> list[Derive]:
        return [parse_derive(x, self.file.source) for x in self.file.derives]


def _check(h: Heuristic) -> Heuristic:
    src = h.file.source
    for d in h.derives:
        for name in (d.target, d.source):
            if name not in h.params.specs:
                raise CatalogError(f"{src}: @derive names undeclared parameter {name}")
        target = h.params.specs[d.target]
        if target.default is not None or target.required:
            raise CatalogError(f"{src}: derived {d.target} must have no default (it is "
                               "an override)")
    if h.severity not in SEVERITIES:
        raise CatalogError(f"{src}: @severity must be one of {', '.join(SEVERITIES)}")
    if h.entity not in ENTITY_KINDS:
        raise CatalogError(f"{src}: @entity must be one of {', '.join(ENTITY_KINDS)}")
    bad = write_clauses(h.file.body)
    if bad:
        raise CatalogError(f"{src}: a heuristic only reads; found {', '.join(bad)}")
    return h


def load_heuristics(directory: Path | None = None) -> dict[str, Heuristic]:
    files = load_dir(directory or package_dir("heuristics"), implicit=IMPLICIT)
    return {name: _check(Heuristic(cf)) for name, cf in files.items()}


@dataclass
class Hit:
    entity_kind: str
    entity_id: str
    score: float
    evidence: list[str] = field(default_factory=list)


def merge_hits(rows: Iterable[Mapping[str, Any]], *, max_evidence: int = MAX_EVIDENCE
               ) -> list[Hit]:
    """One hit per entity: the highest score, the union of evidence (first seen first).

    A heuristic may find one entity several times (two shared devices, two rings); the
    signal is about the entity, so the rows fold into one.
    """
    by_key: dict[tuple[str, str], Hit] = {}
    for row in rows:
        missing = [k for k in ROW_KEYS if k not in row]
        if missing:
            raise QueryFailedError(f"heuristic row lacks {', '.join(missing)}")
        kind, eid = str(row["entity_kind"]), row["entity_id"]
        if kind not in ENTITY_KINDS or not eid:
            raise QueryFailedError(f"heuristic row names a bad entity: {kind!r} {eid!r}")
        score = min(1.0, max(0.0, float(row["score"] or 0.0)))
        evidence = [str(x) for x in (row["evidence"] or []) if x is not None]
        hit = by_key.get((kind, eid))
        if hit is None:
            by_key[(kind, eid)] = Hit(kind, str(eid), score, evidence[:max_evidence])
            continue
        hit.score = max(hit.score, score)
        seen = set(hit.evidence)
        for x in evidence:
            if len(hit.evidence) >= max_evidence:
                break
            if x not in seen:
                hit.evidence.append(x)
                seen.add(x)
    return sorted(by_key.values(), key=lambda h: (-h.score, h.entity_kind, h.entity_id))


def parse_overrides(texts: Iterable[str]) -> dict[str, dict[str, str]]:
    """`heuristic.param=value` strings into {heuristic: {param: text}}."""
    out: dict[str, dict[str, str]] = {}
    for text in texts:
        key, sep, value = text.partition("=")
        name, dot, param = key.strip().partition(".")
        if not sep or not dot or not name or not param:
            raise ParameterError(f"--param {text!r}: expected heuristic.name=value")
        out.setdefault(name, {})[param] = value
    return out


def resolve_params(heuristics: Mapping[str, Heuristic], texts: Mapping[str, Mapping[str, str]]
                   ) -> dict[str, dict[str, Any]]:
    """Validated parameters for every heuristic: defaults with the overrides applied."""
    unknown = sorted(set(texts) - set(heuristics))
    if unknown:
        raise ParameterError(f"--param names unknown heuristic(s): {', '.join(unknown)}")
    out: dict[str, dict[str, Any]] = {}
    for name, h in heuristics.items():
        given = h.params.parse_texts(texts.get(name, {}), context=f"heuristic {name}")
        out[name] = h.params.validate(given, context=f"heuristic {name}")
    return out


def apply_derived(h: Heuristic, params: Mapping[str, Any], cal: Calibration
                  ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Parameters with every derived threshold filled from the data unless given.

    Returns the parameters and, per derived threshold, how it was set: the function and
    source it came from and the value, or `override` when the caller gave it.
    """
    out = dict(params)
    how: dict[str, dict[str, Any]] = {}
    for d in h.derives:
        if out.get(d.target) is not None:
            how[d.target] = {"override": out[d.target]}
            continue
        value = derive_value(d, out[d.source], cal)
        spec = h.params.specs[d.target]
        if value is not None and spec.type == "int":
            value = math.ceil(value)
        out[d.target] = value
        how[d.target] = {"from": f"{d.function}({d.source}={out[d.source]})", "value": value}
    return out, how


@dataclass
class HeuristicRun:
    name: str
    hits: list[Hit]
    rows: int
    seconds: float
    profile: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    derived: dict[str, dict[str, Any]] = field(default_factory=dict)


def run_heuristic(driver: Driver, database: str, h: Heuristic, params: Mapping[str, Any], *,
                  as_of: int, window_s: int, profile: bool = False,
                  timeout_s: float | None = None,
                  calibration: Calibration | None = None) -> HeuristicRun:
    """Run one heuristic in a READ transaction and fold its rows into hits.

    Derived thresholds come from `calibration`, measured here when not given (pass one
    when running several heuristics over the same window).
    """
    derived: dict[str, dict[str, Any]] = {}
    if h.derives:
        cal = calibration or calibrate(driver, database, as_of=as_of, window_s=window_s)
        params, derived = apply_derived(h, params, cal)
    full = {**params, "as_of": as_of, "window_s": window_s, "max_evidence": MAX_EVIDENCE}
    text = ("PROFILE " if profile else "") + h.file.body
    t0 = time.monotonic()
    try:
        records, summary, _ = driver.execute_query(
            Query(text, timeout=timeout_s), full, database_=database, routing_=RoutingControl.READ
        )
    except Neo4jError as e:
        raise QueryFailedError(f"heuristic {h.name}: {e.code}: {e.message}") from e
    seconds = time.monotonic() - t0
    hits = merge_hits(r.data() for r in records)
    return HeuristicRun(h.name, hits, len(records), seconds,
                        summary.profile if profile else None, dict(params), derived)

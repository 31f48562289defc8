"""The one visibility rule between banks, in one place.

A bank sees full evidence only about its own customers. An entity is the caller's own
when its bank (an account) or one of its accounts' banks (a person: the accounts it
holds; a phone: its holders' accounts; a device: the accounts that used it) is the
caller's bank. Everything else is foreign: it appears as "an account at another bank"
(or "a person / phone / device of another bank's customer") with its risk band, never
with its pseudonym, list entries, incidents, scores or payment history. AFC roles
(`afc_analyst`, `admin`) see everything.

Routes call `Scope.of(principal)`, fetch the owners of the entities they are about to
show with `owners()` (one read for any number of entities), then shape every node with
`Scope.node()` / `Scope.redact_path()`. The check (the hot path) takes its banks from its
own single query and uses `Scope.sees()` and `band_floor()` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from api.db import Graph, cypher
from api.explain import number
from api.keys import Principal
from fraudgraph.pseudonym import PREFIX, is_pseudonym
from fraudgraph.vocabulary import BAND_FLOOR, ENTITY_KINDS, band_of

_KIND_OF_PREFIX = {v: k for k, v in PREFIX.items()}
FOREIGN_TEXT = {"account": "an account at another bank",
                "person": "a person who is another bank's customer",
                "phone": "a phone of another bank's customer",
                "device": "a device of another bank's customer"}


def band_floor(risk: float | None) -> float | None:
    """The lower bound of the band `risk` falls in: what a score computed from another
    bank's customer's risk may depend on, so that it cannot be solved for the risk."""
    band = band_of(risk)
    if band is None:
        return None
    return BAND_FLOOR[band]


@dataclass(frozen=True)
class Owner:
    banks: frozenset[str]
    band: str | None


def kind_of_pseudonym(value: str) -> str | None:
    if not is_pseudonym(value):
        return None
    return _KIND_OF_PREFIX.get(value.split("_", 1)[0])


async def owners(graph: Graph, ids: Iterable[str]) -> dict[str, Owner]:
    """Banks and band of every pseudonymised entity among `ids` that is in the graph
    (others are left out: the caller treats unknown as foreign)."""
    by_kind: dict[str, set[str]] = {k: set() for k in ENTITY_KINDS}
    for i in ids:
        k = kind_of_pseudonym(i) if isinstance(i, str) else None
        if k in by_kind:
            by_kind[k].add(i)  # type: ignore[index]
    if not any(by_kind.values()):
        return {}
    rows = await graph.read(cypher("entity_owners"), accounts=sorted(by_kind["account"]),
                            persons=sorted(by_kind["person"]), phones=sorted(by_kind["phone"]),
                            devices=sorted(by_kind["device"]))
    out: dict[str, Owner] = {}
    for r in rows:
        band = r.get("band") or band_of(number(r.get("risk")))
        out[str(r["id"])] = Owner(frozenset(b for b in r.get("banks") or [] if b),
                                  str(band) if band is not None else None)
    return out


@dataclass(frozen=True)
class Scope:
    """What one caller may see. `bank` None: an AFC role, which sees everything."""

    bank: str | None

    @classmethod
    def of(cls, principal: Principal) -> Scope:
        return cls(principal.bank if principal.role == "bank" else None)

    @property
    def everything(self) -> bool:
        return self.bank is None

    def sees(self, banks: Iterable[str | None]) -> bool:
        """Full detail about an entity held at (or linked to accounts at) `banks`."""
        return self.bank is None or self.bank in set(banks)

    def sees_id(self, entity_id: str, known: dict[str, Owner]) -> bool:
        if self.bank is None:
            return True
        o = known.get(entity_id)
        return o is not None and self.bank in o.banks

    def node(self, kind: str, entity_id: str | None, known: dict[str, Owner],
             **extra: Any) -> dict[str, Any]:
        """A node of evidence as this caller may see it."""
        if entity_id is None or self.sees_id(entity_id, known):
            return {"kind": kind, "id": entity_id, **extra}
        o = known.get(entity_id)
        return {"kind": kind, "id": None, "at_other_bank": True,
                "band": o.band if o is not None else None,
                "text": FOREIGN_TEXT.get(kind, f"a {kind} of another bank's customer")}

    def redact_path(self, path: dict[str, Any], known: dict[str, Owner]) -> dict[str, Any]:
        """A path with foreign nodes replaced; a link between two foreign nodes loses its
        type and direction (it is another bank's payment history)."""
        if self.everything:
            return path
        nodes = [self.node(str(n.get("kind")), n.get("id"), known) for n in path["nodes"]]
        rels = []
        for i, rel in enumerate(path.get("rels") or []):
            both_foreign = (i + 1 < len(nodes) and nodes[i].get("at_other_bank")
                            and nodes[i + 1].get("at_other_bank"))
            rels.append("-[:LINKED]-" if both_foreign else rel)
        return {**path, "nodes": nodes, "rels": rels}

    def path_ids(self, paths: Iterable[dict[str, Any]]) -> set[str]:
        return {str(n["id"]) for p in paths for n in p.get("nodes") or [] if n.get("id")}


def pseudonyms_in(value: Any) -> set[str]:
    """Every pseudonym anywhere in a JSON-like value (heuristic evidence, engine output)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if kind_of_pseudonym(v) is not None:
                found.add(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return found


def redact_value(value: Any, scope: Scope, known: dict[str, Owner]) -> Any:
    """`value` with every foreign pseudonym replaced by FOREIGN_TEXT of its kind."""
    if scope.everything:
        return value
    if isinstance(value, str):
        k = kind_of_pseudonym(value)
        if k is not None and not scope.sees_id(value, known):
            return FOREIGN_TEXT.get(k, "an entity of another bank's customer")
        return value
    if isinstance(value, dict):
        return {k: redact_value(v, scope, known) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, scope, known) for v in value]
    return value

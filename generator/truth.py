"""The hidden truth: `truth/entities.csv`, `truth/schemes.csv` (fraud_transfers.csv is
streamed with the transfers).

entities.csv holds one row per entity that took part:
- is_fraud=1: the schemes' accounts (roles `mule` = first hop paid by victims, `layer`,
  `collector`, `hub`, `cashout`), persons (`dropper` = opened the accounts,
  `mule_holder` = an ordinary customer who lent his existing account), phones (`caller`)
  and devices (`operator_device` = logs into many mules' accounts, `mule_device` = a mule's
  new phone shortly before use);
- is_fraud=0: the accounts of `victim`s and of `payer`s (gambling players, drug buyers:
  they pay the collectors but are not the fraud), and `grey_listed_legit` entities (the
  banks' false positives on the grey list).
`active_from` is the entity's first fraud event (first payment for victims); `known_at`
is when the AFC's own data first names it: an incident (as beneficiary, caller or victim)
or a list entry, among the feeds actually written (in minimal mode: list entries only).
Entities with no fraud event yet (dormant accounts) have an empty `active_from`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from generator import buffers as B
from generator.config import SCHEME_TYPES
from generator.plan import SchemePlan
from generator.population import Population
from generator.tables import Batch, Strings, names


def victim_labels(victims: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "kind": np.full(len(victims["acc"]), B.EK_ACCOUNT, dtype=np.int8),
        "idx": victims["acc"],
        "role": victims["role"],
        "scheme": victims["scheme"],
        "fraud": np.zeros(len(victims["acc"]), dtype=bool),
        "active": victims["first_at"],
    }


def scheme_id_strings(plans: list[SchemePlan]) -> tuple[str, ...]:
    return tuple(p.scheme_id for p in plans)


def entities_batch(
    pop: Population,
    s: Strings,
    plans: list[SchemePlan],
    labels: dict[str, np.ndarray],
    known: np.ndarray,
) -> Batch:
    order = np.lexsort((labels["idx"], labels["kind"], labels["scheme"]))
    lab = {k: v[order] for k, v in labels.items()}
    known = known[order]
    sch = lab["scheme"]
    has = sch >= 0
    sid = names((*scheme_id_strings(plans), ""), np.where(has, sch, len(plans)))
    types = np.array([SCHEME_TYPES.index(p.type) for p in plans] + [len(SCHEME_TYPES)])
    stype = names((*SCHEME_TYPES, ""), types[np.where(has, sch, len(plans))])
    null = pa.scalar(None, pa.string())
    return {
        "entity_kind": names(B.ENTITY_KINDS, lab["kind"]),
        "entity_id": s.mixed(lab["kind"], lab["idx"], pop),
        "is_fraud": lab["fraud"].astype(np.int64),
        "role": names(B.ROLES, lab["role"]),
        "scheme_id": pc.if_else(pa.array(has), sid, null),
        "scheme_type": pc.if_else(pa.array(has), stype, null),
        "active_from": lab["active"],
        "known_at": known,
    }


def schemes_batch(
    plans: list[SchemePlan], labels: dict[str, np.ndarray], victims: dict[str, np.ndarray]
) -> Batch:
    n = len(plans)
    acc = (labels["kind"] == B.EK_ACCOUNT) & labels["fraud"]
    n_acc = np.bincount(labels["scheme"][acc], minlength=n)
    n_vic = np.bincount(victims["scheme"], minlength=n)
    total = np.bincount(victims["scheme"], weights=victims["cents"], minlength=n).astype(np.int64)
    return {
        "scheme_id": list(scheme_id_strings(plans)),
        "scheme_type": [p.type for p in plans],
        "start_at": np.array([p.start for p in plans], dtype=np.int64),
        "end_at": np.array([p.end - 1 for p in plans], dtype=np.int64),
        "accounts": n_acc,
        "victims": n_vic,
        "total_kzt": np.maximum(total, 100),
    }

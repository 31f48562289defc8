"""The graph's vocabulary, written once: node labels, the entity kinds the API and the
risk engine speak of and their labels, relationship types, and the risk bands.

Every package reads these (fraudgraph is the base of the layering, tests/test_layers.py),
so a label or a band bound cannot drift between the loader, the queries, the models and
the API. Cypher files spell the same names in their own text.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, get_args, overload

# Node labels.
ACCOUNT = "Account"
PERSON = "Person"
PHONE = "Phone"
DEVICE = "Device"
BANK = "Bank"
INCIDENT = "Incident"
LIST_ENTRY = "ListEntry"
# A second label on an Account outside the participants (a card, an e-wallet, a foreign
# IBAN, an IBAN no accounts feed sent): money that reaches one has left the participants.
EXTERNAL = "External"
SIGNAL = "Signal"
DETECT_RUN = "DetectRun"
VERDICT = "Verdict"
CLUSTER = "Cluster"

# The entities that carry a risk, as the API names them (kinds), and their labels.
EntityKind = Literal["account", "person", "phone", "device"]
ENTITY_KINDS: tuple[str, ...] = get_args(EntityKind)
LABEL_OF: Mapping[str, str] = MappingProxyType(
    {"account": ACCOUNT, "person": PERSON, "phone": PHONE, "device": DEVICE})
KIND_OF: Mapping[str, str] = MappingProxyType({lb: k for k, lb in LABEL_OF.items()})
# The kind of every node an explanation path may cross (the entities, and the evidence
# that seeds them).
NODE_KIND_OF: Mapping[str, str] = MappingProxyType(
    {**KIND_OF, INCIDENT: "incident", LIST_ENTRY: "list_entry"})

# What a load writes (graph_loader), in the order of its report.
LOADED_LABELS: tuple[str, ...] = (ACCOUNT, EXTERNAL, PERSON, PHONE, DEVICE, BANK, INCIDENT,
                                  LIST_ENTRY)
LOADED_RELS: tuple[str, ...] = ("TRANSFERRED", "HOLDS", "AT_BANK", "USED", "SIM_EVENT",
                                "HAS_PHONE", "CALLED", "VICTIM", "BENEFICIARY", "CALLER",
                                "LISTS")
# What detection (Signal, DetectRun: FLAGS) and casework (Verdict: VERDICT_ON) add.
DERIVED_LABELS: tuple[str, ...] = (SIGNAL, DETECT_RUN, VERDICT)
DERIVED_RELS: tuple[str, ...] = ("FLAGS", "VERDICT_ON")

# Risk bands: (lower bound, band), ascending; a risk falls in the last band whose bound
# it reaches, so bands are half-open intervals [lower, next lower).
Band = Literal["low", "medium", "high", "critical"]
BANDS: tuple[tuple[float, str], ...] = ((0.0, "low"), (0.3, "medium"), (0.6, "high"),
                                        (0.85, "critical"))
BAND_NAMES: tuple[str, ...] = get_args(Band)
BAND_FLOOR: Mapping[str, float] = MappingProxyType({name: lower for lower, name in BANDS})
# A band's place in the order (low 0 ... critical 3), to compare bands without their bounds.
BAND_RANK: Mapping[str, int] = MappingProxyType({name: i for i, name in enumerate(BAND_NAMES)})


@overload
def band_of(risk: float) -> str: ...
@overload
def band_of(risk: None) -> None: ...
@overload
def band_of(risk: float | None) -> str | None: ...
def band_of(risk: float | None) -> str | None:
    """The band of a risk (None if unknown). Out of [0, 1] it is the nearest band's: the
    propagation engine, which must never see one, checks the range itself."""
    if risk is None:
        return None
    label = BANDS[0][1]
    for lower, name in BANDS:
        if risk >= lower:
            label = name
    return label

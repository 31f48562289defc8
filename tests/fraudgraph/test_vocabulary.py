"""The graph vocabulary (fraudgraph/vocabulary.py): one definition, consistent with itself
and with what the packages read from it."""

from __future__ import annotations

import pytest

from fraudgraph import vocabulary as V


def test_kinds_and_labels_are_one_mapping_both_ways() -> None:
    assert V.ENTITY_KINDS == ("account", "person", "phone", "device")
    assert tuple(V.LABEL_OF) == V.ENTITY_KINDS
    assert {V.KIND_OF[lb]: lb for lb in V.KIND_OF} == dict(V.LABEL_OF)
    assert V.NODE_KIND_OF[V.LIST_ENTRY] == "list_entry"


@pytest.mark.parametrize(("risk", "band"), [
    (None, None), (0.0, "low"), (0.2999, "low"), (0.3, "medium"), (0.6, "high"),
    (0.85, "critical"), (1.0, "critical"), (-0.1, "low"), (1.5, "critical")])
def test_band_of_is_half_open(risk: float | None, band: str | None) -> None:
    assert V.band_of(risk) == band


def test_bands_ascend_and_their_floors_are_their_bounds() -> None:
    assert tuple(name for _, name in V.BANDS) == V.BAND_NAMES
    bounds = [lower for lower, _ in V.BANDS]
    assert bounds == sorted(bounds) and bounds[0] == 0.0
    assert all(V.band_of(V.BAND_FLOOR[name]) == name for name in V.BAND_NAMES)


def test_the_packages_read_the_vocabulary() -> None:
    from api.routes.entities import LABEL_OF as api_labels
    from cypher.signals import LABEL_OF as cypher_labels
    from gnn.propagation.risk import BANDS, band_of
    from gnn.snapshot.cache import LABELS, REL_TYPES

    assert api_labels is V.LABEL_OF and cypher_labels is V.LABEL_OF
    assert BANDS is V.BANDS and band_of(0.6) == "high"
    assert V.BANK not in LABELS and "AT_BANK" not in REL_TYPES
    assert set(V.DERIVED_LABELS) <= set(LABELS) and set(V.DERIVED_RELS) <= set(REL_TYPES)


def test_casework_reads_the_vocabulary() -> None:
    from casework import alert_store, alerts, case_store

    assert alerts.BAND_RANK is V.BAND_RANK and case_store.LABELS is V.LABEL_OF
    assert {k: alert_store.LABELS[k] for k in V.ENTITY_KINDS} == dict(V.LABEL_OF)
    assert [V.BAND_RANK[b] for b in V.BAND_NAMES] == sorted(V.BAND_RANK.values())

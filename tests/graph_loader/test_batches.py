"""Batch parameters (pure): the shape every load statement receives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.feeds import FEEDS, FEEDS_BY_NAME, RowRejected, ShapeContext, list_entry
from graph_loader.load import batch_params, cypher, write_statement


def test_columnar_feeds_get_one_list_per_field_in_row_order() -> None:
    rows = [{"tx_id": "t1", "src": "acc_a", "dst": "acc_b", "amount": 5.0},
            {"tx_id": "t2", "src": "acc_b", "dst": "acc_c", "amount": 7.5}]
    params = batch_params(FEEDS_BY_NAME["transfers"], rows)
    assert params == {"tx_id": ["t1", "t2"], "src": ["acc_a", "acc_b"],
                      "dst": ["acc_b", "acc_c"], "amount": [5.0, 7.5]}


def test_other_feeds_get_rows_as_maps() -> None:
    rows = [{"id": "le-1", "list": "black"}]
    assert batch_params(FEEDS_BY_NAME["list_entries"], rows) == {"rows": rows}


def test_each_statement_reads_the_parameters_its_feed_sends() -> None:
    """A columnar statement names its fields as $parameters; a row statement $rows."""
    for feed in FEEDS:
        for name in (feed.name, f"{feed.name}_create") if feed.fast_path else (feed.name,):
            text = cypher(name)
            assert ("$rows" in text) != feed.columnar, name


def test_write_statement_is_the_loads_own() -> None:
    rows = [{"id": "le-1", "list": "black"}]
    assert write_statement("list_entries", rows) == (cypher("list_entries"), {"rows": rows})


_ENTRY = {"entry_id": "le-9", "entity_kind": "account", "list": "grey",
          "reason": "mule acc_given", "source": "afc", "since": "2024-05-01T10:00:00+05:00"}


def test_a_list_entry_named_by_pseudonym_keeps_it_and_checks_the_rest() -> None:
    ctx = ShapeContext(now=datetime(2024, 6, 1, tzinfo=UTC), pseudo=Pseudonymiser("k"))
    row = list_entry(_ENTRY, ctx, pseudonym="acc_given").row
    assert row["entity"] == "acc_given" and row["entity_kind"] == "account"
    assert row["list"] == "grey" and row["id"] == "le-9"
    with pytest.raises(RowRejected) as e:
        list_entry({**_ENTRY, "list": "white"}, ctx, pseudonym="acc_given")
    assert e.value.field == "list"
    # Without a pseudonym entity_id is the feed's: required and parsed.
    with pytest.raises(RowRejected) as e:
        list_entry(_ENTRY, ctx)
    assert e.value.field == "entity_id"

"""Batch parameters (pure): the shape every load statement receives."""

from __future__ import annotations

from graph_loader.feeds import FEEDS, FEEDS_BY_NAME
from graph_loader.load import batch_params, cypher


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

"""Templated statements: the labels and patterns Cypher cannot take as parameters are
filled in by one mechanism, and a placeholder left unfilled is refused before it runs."""

from __future__ import annotations

import pytest

from cypher import statement, template
from cypher.errors import CatalogError


def test_placeholders_are_filled_in() -> None:
    assert "$$LABEL$$" in statement("load/count_label")
    text = template("load/count_label", LABEL="Account")
    assert "$$" not in text and ":Account" in text


def test_an_unfilled_placeholder_is_refused() -> None:
    with pytest.raises(CatalogError, match=r"\$\$COLUMNS\$\$"):
        template("gnn/export_nodes", LABEL="Account")

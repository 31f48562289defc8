"""Cypher: the schema, the loader's and the API's statements, heuristics and queries.

Statements live in `.cypher` files under this package; `statement()` is the one way the
Python code reads them.
"""

from functools import cache
from importlib import resources


@cache
def statement(path: str) -> str:
    """The text of ``cypher/<path>.cypher`` (e.g. ``"load/transfers"``), read once."""
    return resources.files("cypher").joinpath(f"{path}.cypher").read_text()

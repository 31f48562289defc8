"""Cypher: the schema, the loader's and the API's statements, heuristics and queries.

Statements live in `.cypher` files under this package; `statement()` is the one way the
Python code reads them.
"""

import re
from functools import cache
from importlib import resources

from cypher.errors import CatalogError

_PLACEHOLDER = re.compile(r"\$\$[A-Z_]+\$\$")


@cache
def statement(path: str) -> str:
    """The text of ``cypher/<path>.cypher`` (e.g. ``"load/transfers"``), read once."""
    return resources.files("cypher").joinpath(f"{path}.cypher").read_text()


@cache
def template(path: str, **parts: str) -> str:
    """`statement` with its ``$$NAME$$`` placeholders filled in: what Cypher cannot take
    as a ``$parameter`` (a label, a relationship type, a pattern), always from the code's
    own vocabulary, never from a request. Every placeholder must be given; each filled
    text is built once."""
    text = statement(path)
    for key, value in parts.items():
        text = text.replace(f"$${key}$$", value)
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        raise CatalogError(f"cypher/{path}.cypher: placeholders not filled in: {left}")
    return text

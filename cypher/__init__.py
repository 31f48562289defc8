"""Cypher: the schema, the loader's and the API's statements, heuristics and queries.

Statements live in `.cypher` files under this package; `statement()` is the one way the
Python code reads them. Each file carries a header (cypher.catalog) that `statement()`
checks once, at first use, so a malformed header fails loudly rather than at a server.
"""

import logging
import re
from functools import cache
from importlib import resources

from cypher.catalog import IMPLICIT_BY_DIR, CypherFile, params_used_in, parse_cypher_file
from cypher.errors import CatalogError

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\$\$[A-Z_]+\$\$")


@cache
def _text(path: str) -> str:
    return resources.files("cypher").joinpath(f"{path}.cypher").read_text()


@cache
def header(path: str) -> CypherFile:
    """The parsed header of ``cypher/<path>.cypher``: its @name must be the file's stem, and
    its declared parameters and template slots must be the ones the body uses. A directory
    whose runner supplies some names (the heuristics) is parsed with those as implicit."""
    directory, _, stem = path.rpartition("/")
    source = f"cypher/{path}.cypher"
    cf = parse_cypher_file(_text(path), source,
                           implicit=IMPLICIT_BY_DIR.get(directory, frozenset()))
    if cf.name != stem:
        raise CatalogError(f"{source}: @name {cf.name} differs from the file name")
    log.debug("%s: header checked (%d params, %d template slots)", source,
              len(cf.params.specs), len(cf.templates))
    return cf


@cache
def statement(path: str) -> str:
    """The text of ``cypher/<path>.cypher`` (e.g. ``"load/transfers"``), read once; its
    header is checked first (`header`)."""
    header(path)
    return _text(path)


@cache
def template(path: str, **parts: str) -> str:
    """`statement` with its ``$$NAME$$`` placeholders filled in: what Cypher cannot take
    as a ``$parameter`` (a label, a relationship type, a pattern), always from the code's
    own vocabulary, never from a request. The parts given must be exactly the slots the
    header declares (`// @template NAME`), and may read only declared parameters; each
    filled text is built once."""
    text = statement(path)
    cf = header(path)
    declared = set(cf.templates)
    problems: list[str] = []
    missing = sorted(declared - set(parts))
    if missing:
        problems.append("placeholders not filled in: " + ", ".join(f"$${k}$$" for k in missing))
    unexpected = sorted(set(parts) - declared)
    if unexpected:
        problems.append("not slots of this statement: " + ", ".join(unexpected))
    if problems:
        raise CatalogError(f"cypher/{path}.cypher: {'; '.join(problems)} "
                           f"(its @template slots: {', '.join(sorted(declared)) or 'none'})")
    # Values always go in as declared $parameters: a filled-in text may read only those.
    known = set(cf.params.specs) | IMPLICIT_BY_DIR.get(path.rpartition("/")[0], frozenset())
    for key, value in parts.items():
        extra = sorted(params_used_in(value) - known)
        if extra:
            raise CatalogError(f"cypher/{path}.cypher: the text for $${key}$$ reads "
                               f"undeclared parameter(s) {', '.join(extra)} (declare them "
                               f"and name them in `@template {key} uses ...`)")
        text = text.replace(f"$${key}$$", value)
    # A filled-in part that itself holds a placeholder would leave it behind.
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        raise CatalogError(f"cypher/{path}.cypher: placeholders not filled in: {left}")
    return text

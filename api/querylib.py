"""The investigators' named queries (cypher.library), behind a thin adapter.

The library validates parameters and knows each query's text and result shape; the API
runs the text itself with its one async driver in a READ transaction (the server
refuses writes there; the library refuses write clauses when it loads), so the event
loop never blocks and no second driver is needed. Raw identifiers in `id` / `list[id]`
parameters are pseudonymised on entry, as everywhere in the API.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from api.errors import NotFound, Unprocessable
from cypher.errors import CatalogError, ParameterError
from fraudgraph.pseudonym import Pseudonymiser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    name: str
    text: str
    params: dict[str, Any]
    returns: str  # "graph" or "rows"


class QueryCatalogue(Protocol):
    def describe(self) -> list[dict[str, Any]]:
        """[{name, title, description, returns, params: [{name, type, required, ...}]}]"""
        ...

    def prepare(self, name: str, params: Mapping[str, Any], pseudo: Pseudonymiser) -> Prepared:
        """Text and validated parameters; NotFound / Unprocessable otherwise."""
        ...


class LibraryCatalogue:
    """Adapts cypher.library.QueryLibrary."""

    def __init__(self, library: Any) -> None:
        self.library = library

    def describe(self) -> list[dict[str, Any]]:
        return list(self.library.describe()) if self.library is not None else []

    def prepare(self, name: str, params: Mapping[str, Any], pseudo: Pseudonymiser) -> Prepared:
        from cypher.ids import resolve_id_params

        if self.library is None:
            raise NotFound(f"no query named {name} (the query library is not loaded)")
        try:
            q = self.library.get(name)
            specs = q.file.params.specs
            resolved = resolve_id_params(specs, params, pseudo)
            full = self.library.validate(name, resolved)
        except CatalogError:
            raise NotFound(f"no query named {name}") from None
        except ParameterError as e:
            raise Unprocessable(str(e), field="params") from None
        return Prepared(name, q.file.body, full, q.returns)


def default_catalogue() -> QueryCatalogue:
    """The query library as installed; an empty catalogue (logged) if it cannot load."""
    from cypher.library import QueryLibrary

    try:
        return LibraryCatalogue(QueryLibrary.load())
    except CatalogError as e:
        log.error("query library not loaded: %s", e)
        return LibraryCatalogue(None)

"""The investigators' query library (cypher/queries/*.cypher), importable from Python.

    lib = QueryLibrary.load()
    lib.run(driver, "neo4j", "neighbourhood", {"id": "acc_...", "hops": 2})

Every query is read-only twice over: a file with a write clause is refused when the
library loads, and queries run in READ transactions, where the server refuses writes.
Results are plain dicts: graph-shaped queries give {"nodes", "edges", ...}, row-shaped
ones {"rows": [...]}.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver, ManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, Neo4jError

from cypher.catalog import CypherFile, load_dir, package_dir
from cypher.errors import CatalogError, QueryFailedError, WriteRefusedError
from cypher.plain import to_plain
from cypher.readonly import write_clauses

RETURNS = ("graph", "rows")
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class LibraryQuery:
    file: CypherFile

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def returns(self) -> str:
        return self.file.tag("returns")

    def describe(self) -> dict[str, Any]:
        return self.file.as_dict()


def check_query_file(cf: CypherFile) -> LibraryQuery:
    bad = write_clauses(cf.body)
    if bad:
        raise WriteRefusedError(
            f"{cf.source}: library queries are read-only; refusing {', '.join(bad)}")
    q = LibraryQuery(cf)
    if q.returns not in RETURNS:
        raise CatalogError(f"{cf.source}: @returns must be one of {', '.join(RETURNS)}")
    return q


def _read(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [r.data() for r in tx.run(query, params)]


def shape_result(returns: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Plain result: a graph query's single row as a dict (empty graph if no row)."""
    plain = [to_plain(r) for r in records]
    if returns == "rows":
        return {"rows": plain}
    if not plain:
        return {"nodes": [], "edges": []}
    out = dict(plain[0])
    out.setdefault("nodes", [])
    out.setdefault("edges", [])
    return out


class QueryLibrary:
    def __init__(self, queries: Mapping[str, LibraryQuery]) -> None:
        self._queries = dict(queries)

    @classmethod
    def load(cls, directory: Path | None = None) -> QueryLibrary:
        files = load_dir(directory or package_dir("queries"))
        return cls({name: check_query_file(cf) for name, cf in files.items()})

    def names(self) -> list[str]:
        return sorted(self._queries)

    def get(self, name: str) -> LibraryQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise CatalogError(
                f"no query named {name!r}; known: {', '.join(self.names())}") from None

    def describe(self) -> list[dict[str, Any]]:
        return [self._queries[n].describe() for n in self.names()]

    def validate(self, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        return self.get(name).file.params.validate(params, context=f"query {name}")

    def run(self, driver: Driver, database: str, name: str, params: Mapping[str, Any], *,
            timeout_s: float = DEFAULT_TIMEOUT_S) -> dict[str, Any]:
        """Validate, run in a READ transaction, and return plain dicts."""
        q = self.get(name)
        full = self.validate(name, params)
        try:
            with driver.session(database=database, default_access_mode="READ") as session:
                records = session.execute_read(unit_of_work(timeout=timeout_s)(_read),
                                               q.file.body, full)
        except ClientError as e:
            if e.code and "AccessMode" in e.code:
                raise WriteRefusedError(f"query {name}: the server refused a write") from e
            raise QueryFailedError(f"query {name}: {e.code}: {e.message}") from e
        except Neo4jError as e:
            raise QueryFailedError(f"query {name}: {e.code}: {e.message}") from e
        return {"query": name, "params": to_plain(full), **shape_result(q.returns, records)}

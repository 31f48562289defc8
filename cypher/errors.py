"""The cypher package's exceptions: heuristics, detect runs and the query library."""

from fraudgraph.errors import FraudgraphError


class CypherError(FraudgraphError):
    """Root of the cypher package's errors."""


class CatalogError(CypherError):
    """A .cypher file whose header cannot be parsed, or a name that is not in the catalog."""


class ParameterError(CypherError):
    """A parameter that is unknown, missing, of the wrong type or out of range."""


class WriteRefusedError(CypherError):
    """A read-only query file that contains a write clause (refused before it runs)."""


class QueryFailedError(CypherError):
    """Neo4j refused or failed a heuristic or a library query."""

"""Static refusal of query files that would write.

This is the first of two guards: library queries also run in READ transactions, where
the server refuses writes. The static check catches a bad file at load time, before any
investigator runs it, and names the offending clause.
"""

from __future__ import annotations

import re

from cypher.catalog import strip_comments_and_strings

_WRITE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CREATE", re.compile(r"\bCREATE\b", re.IGNORECASE)),
    ("MERGE", re.compile(r"\bMERGE\b", re.IGNORECASE)),
    ("SET", re.compile(r"\bSET\b", re.IGNORECASE)),
    ("DELETE", re.compile(r"\bDELETE\b", re.IGNORECASE)),
    ("REMOVE", re.compile(r"\bREMOVE\b", re.IGNORECASE)),
    ("DROP", re.compile(r"\bDROP\b", re.IGNORECASE)),
    ("FOREACH", re.compile(r"\bFOREACH\b", re.IGNORECASE)),
    ("LOAD CSV", re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)),
    ("IN TRANSACTIONS", re.compile(r"\bIN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b",
                                   re.IGNORECASE)),
    ("apoc write procedure", re.compile(
        r"\bapoc\s*\.\s*(?:create|merge|refactor|periodic|atomic|lock|trigger|schema|do|"
        r"nodes\s*\.\s*(?:delete|link|collapse)|graph\s*\.\s*fromCypher|"
        r"cypher\s*\.\s*(?:doIt|runWrite|runMany|runFile|runSchema|parallel))", re.IGNORECASE)),
    ("db write procedure", re.compile(r"\bdb\s*\.\s*(?:create|index\s*\.\s*fulltext\s*\."
                                      r"awaitEventuallyConsistent|clearQueryCaches)",
                                      re.IGNORECASE)),
)


def write_clauses(query: str) -> list[str]:
    """The write clauses found outside comments and string literals (empty = read-only)."""
    text = strip_comments_and_strings(query)
    return [name for name, pattern in _WRITE_PATTERNS if pattern.search(text)]

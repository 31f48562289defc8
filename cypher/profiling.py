"""Reading a PROFILE plan (the driver's nested dict): the operators that cost most."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def operators(plan: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every operator of the plan tree, depth first, flattened to plain fields."""
    stack = [plan]
    while stack:
        p = stack.pop()
        args = p.get("args") or {}
        yield {
            "operator": str(p.get("operatorType", "?")).split("@")[0],
            "details": str(args.get("Details", ""))[:300],
            "db_hits": int(p.get("dbHits", 0) or 0),
            "rows": int(p.get("rows", 0) or 0),
        }
        stack.extend(reversed(list(p.get("children") or [])))


def summarise(plan: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Total db hits and the worst operators by db hits and by rows."""
    if not plan:
        return None
    ops = list(operators(plan))
    return {
        "db_hits_total": sum(o["db_hits"] for o in ops),
        "operators": len(ops),
        "worst_db_hits": max(ops, key=lambda o: o["db_hits"]),
        "worst_rows": max(ops, key=lambda o: o["rows"]),
    }

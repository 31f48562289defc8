"""Neo4j values to plain JSON-friendly Python (dicts, lists, str, numbers)."""

from __future__ import annotations

from typing import Any

from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time


def to_plain(v: Any) -> Any:
    """Temporal values become ISO strings; graph values become maps; containers recurse."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (DateTime, Date, Time)):
        return v.iso_format()
    if isinstance(v, Duration):
        return str(v)
    if isinstance(v, dict):
        return {str(k): to_plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_plain(x) for x in v]
    if isinstance(v, Node):
        return node_map(v)
    if isinstance(v, Relationship):
        return rel_map(v)
    if isinstance(v, Path):
        return {"nodes": [node_map(n) for n in v.nodes],
                "edges": [rel_map(r) for r in v.relationships]}
    return str(v)


def node_map(n: Node) -> dict[str, Any]:
    props = {k: to_plain(x) for k, x in n.items()}
    return {"id": props.pop("id", n.element_id), "labels": sorted(n.labels), "props": props}


def rel_map(r: Relationship) -> dict[str, Any]:
    start, end = r.start_node, r.end_node
    return {
        "type": r.type,
        "source": start.get("id") if start is not None else None,
        "target": end.get("id") if end is not None else None,
        "props": {k: to_plain(x) for k, x in r.items()},
    }

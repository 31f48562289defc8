"""Pure shaping of cluster records: summaries and a drawable subgraph."""

from __future__ import annotations

from typing import Any

from api.explain import number, plain
from fraudgraph.cluster_schema import SUMMARY_FIELDS as _KNOWN


def _int(value: Any) -> int | None:
    x = number(value)
    return int(x) if x is not None else None


def summary(props: dict[str, Any]) -> dict[str, Any]:
    """A Cluster node's properties (fraudgraph/cluster_schema.py) as ClusterSummary
    fields; the others under `properties` (temporal values as ISO strings)."""
    banks = props.get("banks")
    if isinstance(banks, str):
        banks = [banks]
    elif not isinstance(banks, list):
        banks = None
    return {
        "id": str(props.get("id")),
        "size": _int(props.get("size")),
        "banks": [str(b) for b in banks] if banks is not None else None,
        "victims": _int(props.get("victims")),
        "total_kzt": number(props.get("total_kzt")),
        "scheme": str(props["scheme"]) if props.get("scheme") is not None else None,
        "first_seen_ts": _int(props.get("first_seen_ts")),
        "growth": number(props.get("growth")),
        "predicted_growth": number(props.get("predicted_growth")),
        "properties": {k: _jsonable(v) for k, v in props.items() if k not in _KNOWN},
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return plain(value)


def drawing(members: list[dict[str, Any]], links: dict[str, Any]) -> dict[str, Any]:
    """Nodes (accounts, holders, shared devices) and edges (aggregated transfers, HOLDS,
    USED) of a cluster, ready for a force-directed layout."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for m in members:
        nodes[m["id"]] = {"id": m["id"], "kind": "account", "bank": m.get("bank"),
                          "risk": number(m.get("risk")), "props": {}}
    for f in links.get("flows") or []:
        edges.append({"source": f["src"], "target": f["dst"], "type": "TRANSFERRED",
                      "count": int(f["count"]), "amount_kzt": number(f["total_kzt"])})
    for h in links.get("holds") or []:
        nodes.setdefault(h["person"], {"id": h["person"], "kind": "person", "props": {}})
        edges.append({"source": h["person"], "target": h["account"], "type": "HOLDS"})
    for d in links.get("shared_devices") or []:
        nodes.setdefault(d["device"], {"id": d["device"], "kind": "device", "props": {}})
        for acc in d["accounts"]:
            edges.append({"source": acc, "target": d["device"], "type": "USED"})
    return {"nodes": list(nodes.values()), "edges": edges}

"""The one shape of a stored fraud ring, shared by its writer (gnn/clusters/store.py) and
its reader (api/clusters.py), so that neither can drift from the other.

``(:Cluster)<-[:IN_CLUSTER]-(:Account)`` with these properties:
- ``id``, ``size`` (members), ``banks`` (the members' bank codes, a list), ``victims``,
  ``total_kzt`` (paid in from outside), ``scheme`` (dominant reported scheme),
  ``first_seen_ts`` (epoch seconds of the first payment in);
- ``growth``: the observed growth rate of new outside payers per window (a float),
  ``growth_series``: those payers per window, oldest first (a list),
  ``predicted_growth``: the payers expected in the next window (a float);
- ``active``: false once the ring no longer forms; it then keeps its node as history,
  with ``size`` 0, no members and no ``predicted_growth`` (it is no longer emerging).
"""

from __future__ import annotations

from typing import Any

# What an API summary names; every other stored property is passed on as `properties`.
SUMMARY_FIELDS = ("id", "size", "banks", "victims", "total_kzt", "scheme", "first_seen_ts",
                  "growth", "predicted_growth")


def _finite(x: float | None) -> float | None:
    return None if x is None or x != x or x in (float("inf"), float("-inf")) else float(x)


def cluster_properties(*, id: str, size: int, banks: list[str], victims: int,
                       total_kzt: float, scheme: str, first_seen_ts: float | None,
                       growth: float | None, growth_series: list[float],
                       predicted_growth: float | None) -> dict[str, Any]:
    """The properties a Cluster node is written with (NaN and inf stored as absent)."""
    first = _finite(first_seen_ts)
    return {"id": id, "size": int(size), "banks": sorted(str(b) for b in banks),
            "victims": int(victims), "total_kzt": float(total_kzt), "scheme": scheme,
            "first_seen_ts": int(first) if first is not None else None,
            "growth": _finite(growth), "growth_series": [float(x) for x in growth_series],
            "predicted_growth": _finite(predicted_growth)}

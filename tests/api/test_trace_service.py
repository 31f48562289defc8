"""The money trace's traversal (api/trace_service.py) over a graph that answers each hop
from a fixed ledger: no database."""

from __future__ import annotations

import asyncio
from typing import Any

from api.trace_service import TraceLimits, follow

LEDGER = [  # (tx_id, src, dst, ts, amount, channel)
    ("t1", "acc_b", "acc_c", 110, 60.0, "app"),
    ("t2", "acc_c", "acc_d", 120, 60.0, "app"),
    ("t3", "acc_d", "acc_d2", 130, 30.0, "atm"),
    ("t4", "acc_c", "acc_e", 100, 10.0, "app"),  # before the money reached acc_c
]


class LedgerGraph:
    def __init__(self) -> None:
        self.hops: list[list[dict[str, Any]]] = []

    async def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        self.hops.append(params["frontier"])
        since = {f["id"]: f["since"] for f in params["frontier"]}
        rows = [{"tx_id": t, "src": s, "dst": d, "ts": ts, "amount": a, "channel": c,
                 "interbank": False}
                for t, s, d, ts, a, c in sorted(LEDGER, key=lambda r: r[3])
                if s in since and since[s] <= ts <= params["until"]]
        return rows[:params["limit"]]


def run(limits: TraceLimits) -> tuple[dict[str, Any], bool, LedgerGraph]:
    g = LedgerGraph()
    start = [("acc_b", 60.0, 100, "transfer")]
    edges, truncated = asyncio.run(follow(g, start, limits))  # type: ignore[arg-type]
    return edges, truncated, g


def test_follows_money_forward_in_time_and_stops_at_cash_outs() -> None:
    edges, truncated, g = run(TraceLimits(window_s=1000, max_hops=5, max_edges=100))
    assert sorted(edges) == ["t1", "t2", "t3"] and not truncated
    # acc_d2 received cash (atm): never a frontier.
    assert [sorted(f["id"] for f in hop) for hop in g.hops] == [
        ["acc_b"], ["acc_c"], ["acc_d"]]


def test_the_edge_budget_truncates() -> None:
    edges, truncated, _ = run(TraceLimits(window_s=1000, max_hops=5, max_edges=2))
    assert sorted(edges) == ["t1", "t2"] and truncated


def test_the_hop_limit_and_window_bound_the_reads() -> None:
    edges, _, g = run(TraceLimits(window_s=1000, max_hops=1, max_edges=100))
    assert sorted(edges) == ["t1"] and len(g.hops) == 1
    edges, _, _ = run(TraceLimits(window_s=15, max_hops=5, max_edges=100))
    assert sorted(edges) == ["t1"]

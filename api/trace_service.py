"""The money trace of an incident: the hop-by-hop traversal of the graph and the
response it answers. The allocation rule itself is api/trace.py's (pure); this module
reads through a Graph and knows nothing of requests, keys or routes.

The traversal is breadth-first by hop: each hop reads the transfers out of the accounts
the money reached, no earlier than it arrived there and within one window of the first
arrival, until the hop limit or the edge budget (then the trace is marked truncated).
Cash-outs ('atm') are not followed: that money has left the banking system; nor are
transfers to counterparties outside the participants (exits: cards, e-wallets, foreign
IBANs), which the trace names as where the money left to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from api.db import Graph, cypher
from api.trace import Edge, TraceResult, allocate, scope_trace, start_lots
from api.visibility import Scope

# The victim's transfers to the beneficiaries count from this long before the incident
# occurred: the report's times are the victim's recollection.
START_SLACK_S = 86400

Start = tuple[str, float, int, str]  # (account, kzt, ts, source), as start_lots gives


@dataclass(frozen=True)
class TraceLimits:
    window_s: int
    max_hops: int
    max_edges: int


@dataclass(frozen=True)
class Trace:
    """A trace as the AFC sees it (`body`, the response), what it touched (`accounts`)
    and what a bank's view of it needs: each account's bank and who the reporter told
    about (its victim and the beneficiaries it named)."""

    body: dict[str, Any]
    accounts: frozenset[str]
    banks: dict[str, str | None]
    told: frozenset[str]

    def seen_by(self, scope: Scope) -> dict[str, Any]:
        """The body as `scope` may see it. The reporter knows its victim and the
        beneficiaries it named; everyone else at another bank is "at another bank",
        with amount and time only."""
        if scope.everything:
            return self.body
        return scope_trace(self.body,
                           lambda a: a in self.told or scope.sees([self.banks.get(a)]))


async def incident_head(g: Graph, incident_id: str) -> dict[str, Any] | None:
    """The incident, its victim, beneficiaries and the victim's payments to them; None
    if there is no such incident."""
    return await g.read_one(cypher("trace_start"), id=incident_id, slack=START_SLACK_S)


def next_frontier(rows: Iterable[dict[str, Any]], edges: dict[str, Edge]) -> dict[str, int]:
    """Adds one hop's transfers to `edges`; the accounts they reached, each with the
    earliest time money arrived there. Cash-outs and exits reach no account to follow."""
    frontier: dict[str, int] = {}
    for r in rows:
        edges[r["tx_id"]] = Edge(str(r["tx_id"]), r["src"], r["dst"], int(r["ts"]),
                                 float(r["amount"]), r["channel"], r["interbank"],
                                 r.get("exit"))
        dst, at = str(r["dst"]), int(r["ts"])
        if r["channel"] != "atm" and r.get("exit") is None:
            frontier[dst] = min(frontier.get(dst, at), at)
    return frontier


async def follow(g: Graph, start: list[Start], limits: TraceLimits
                 ) -> tuple[dict[str, Edge], bool]:
    """The transfers the money may have taken from `start`, by tx id, and whether the
    edge budget cut the traversal short."""
    edges: dict[str, Edge] = {}
    if not start:
        return edges, False
    until = min(s[2] for s in start) + limits.window_s
    since: dict[str, int] = {}
    frontier: dict[str, int] = {acc: ts for acc, _, ts, _ in start}
    for _hop in range(limits.max_hops):
        # An account is read again only if money now reaches it earlier than before.
        todo = {a: t for a, t in frontier.items() if a not in since or t < since[a]}
        if not todo:
            break
        since.update(todo)
        room = limits.max_edges - len(edges)
        rows = await g.read(cypher("trace_hop"), until=until, limit=room + 1,
                            frontier=[{"id": a, "since": t} for a, t in todo.items()])
        truncated = len(rows) > room
        frontier = next_frontier(rows[:room], edges)
        if truncated:
            return edges, True
    return edges, False


def assemble(incident_id: str, head: dict[str, Any], start: list[Start], res: TraceResult,
             truncated: bool, banks: dict[str, str | None], limits: TraceLimits
             ) -> dict[str, Any]:
    """The trace response (api/models/incidents.TraceResponse) of an allocation."""
    inc = head["incident"]
    return {
        "incident": incident_id, "victim": head["victim"],
        "window_s": limits.window_s, "max_hops": limits.max_hops,
        "start": [{"account": a, "kzt": round(k, 2), "ts": t, "source": s}
                  for a, k, t, s in start],
        "hops": [{"hop": h, "traced_kzt": round(sum(e["traced_kzt"] for e in es), 2),
                  "edges": es} for h, es in sorted(res.hops.items())],
        "holders": [{**h, "bank": banks.get(h["account"])} for h in res.holders],
        "cash_outs": res.cash_outs,
        "exits": res.exits,
        "totals": {"reported_kzt": inc.get("amount"), "start_kzt": res.start_kzt,
                   "held_kzt": res.held_kzt, "cashed_out_kzt": res.cashed_out_kzt,
                   "left_kzt": res.left_kzt},
        "truncated": truncated,
    }


async def trace(g: Graph, incident_id: str, head: dict[str, Any], limits: TraceLimits
                ) -> Trace:
    """Where the victim's money of the incident `head` (incident_head's) went."""
    start = start_lots(head["incident"], head["beneficiaries"], head["paid"],
                       limits.window_s)
    edges, truncated = await follow(g, start, limits)
    res = allocate([(a, k, t) for a, k, t, _ in start], list(edges.values()),
                   limits.max_hops)
    ids = {h["account"] for h in res.holders} | {e.src for e in edges.values()} \
        | {e.dst for e in edges.values()}
    banks = {r["id"]: r["bank"]
             for r in await g.read(cypher("account_banks"), ids=sorted(ids))}
    told = {str(head["victim"]), *(str(b) for b in head["beneficiaries"])}
    return Trace(assemble(incident_id, head, start, res, truncated, banks, limits),
                 frozenset(ids), banks, frozenset(told))

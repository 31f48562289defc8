"""Where a victim's money went: a pure allocation over the transfers that left the
beneficiary accounts, hop by hop, forward in time.

Rule ("dirty money leaves first"): an account's outgoing transfers, in time order, carry
the victim's money it holds at that moment before any of its own, first in first out;
a transfer carries at most its amount, so no more can leave than arrived. A transfer only
carries money that arrived at or before its time. A transfer through channel 'atm' is a
cash-out: that money leaves the banking system and is not followed; so does a transfer
to a counterparty outside the participants (a card, an e-wallet, a foreign or a
non-participant's IBAN: an exit, which names where it went). Money stops at the
hop limit (its holder is marked as a frontier: it may have moved on). What is left on
an account at the end is held there: what a refund can still recover.

Invariant: start total = held total + cashed-out total + left (exits) total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_EPS = 0.005  # half a tiyn: amounts below are rounding noise


@dataclass(frozen=True)
class Edge:
    tx_id: str
    src: str
    dst: str
    ts: int
    amount: float
    channel: str | None = None
    interbank: bool | None = None
    # The kind of identifier (card, wallet, foreign_iban, iban) when dst lies outside the
    # participants: the money has left, as with a cash-out, and is not followed.
    exit: str | None = None


@dataclass
class Lot:
    kzt: float
    ts: int
    hop: int


@dataclass
class TraceResult:
    hops: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    holders: list[dict[str, Any]] = field(default_factory=list)
    cash_outs: list[dict[str, Any]] = field(default_factory=list)
    exits: list[dict[str, Any]] = field(default_factory=list)
    start_kzt: float = 0.0
    held_kzt: float = 0.0
    cashed_out_kzt: float = 0.0
    left_kzt: float = 0.0


def allocate(start: list[tuple[str, float, int]], edges: list[Edge], max_hops: int
             ) -> TraceResult:
    """`start`: (account, kzt, ts) the victim's money that arrived; hop 0 is there."""
    lots: dict[str, list[Lot]] = defaultdict(list)
    for acc, kzt, ts in sorted(start, key=lambda s: (s[2], s[0])):
        if kzt > _EPS:
            lots[acc].append(Lot(kzt, ts, 0))
    out = TraceResult(start_kzt=round(sum(lot.kzt for ls in lots.values() for lot in ls), 2))
    seen: set[str] = set()
    for e in sorted(edges, key=lambda e: (e.ts, e.tx_id)):
        if e.tx_id in seen or e.src == e.dst:
            continue
        seen.add(e.tx_id)
        room = e.amount
        carried: dict[int, float] = defaultdict(float)  # by hop of the money carried
        for lot in lots.get(e.src, []):
            if room <= _EPS:
                break
            if lot.kzt <= _EPS or lot.ts > e.ts or lot.hop >= max_hops:
                continue
            take = min(lot.kzt, room)
            lot.kzt -= take
            room -= take
            carried[lot.hop + 1] += take
        if not carried:
            continue
        cash_out = e.channel == "atm"
        for hop, kzt in sorted(carried.items()):
            out.hops.setdefault(hop, []).append({
                "hop": hop, "tx_id": e.tx_id, "src": e.src, "dst": e.dst, "ts": e.ts,
                "amount_kzt": e.amount, "traced_kzt": round(kzt, 2), "channel": e.channel,
                "interbank": e.interbank, "cash_out": cash_out, "exit": e.exit})
            if cash_out:
                out.cash_outs.append({"account": e.src, "tx_id": e.tx_id, "ts": e.ts,
                                      "kzt": round(kzt, 2)})
                out.cashed_out_kzt += kzt
            elif e.exit is not None:
                out.exits.append({"account": e.src, "to": e.dst, "to_kind": e.exit,
                                  "tx_id": e.tx_id, "ts": e.ts, "kzt": round(kzt, 2)})
                out.left_kzt += kzt
            else:
                lots[e.dst].append(Lot(kzt, e.ts, hop))
    for acc, ls in sorted(lots.items()):
        left = [lot for lot in ls if lot.kzt > _EPS]
        if not left:
            continue
        held = sum(lot.kzt for lot in left)
        out.held_kzt += held
        out.holders.append({
            "account": acc, "held_kzt": round(held, 2), "since_ts": min(lot.ts for lot in left),
            "hop": max(lot.hop for lot in left),
            "frontier": any(lot.hop >= max_hops for lot in left)})
    out.holders.sort(key=lambda h: (-h["held_kzt"], h["account"]))
    out.held_kzt = round(out.held_kzt, 2)
    out.cashed_out_kzt = round(out.cashed_out_kzt, 2)
    out.left_kzt = round(out.left_kzt, 2)
    return out


def start_lots(incident: dict[str, Any], beneficiaries: list[str],
               paid: list[dict[str, Any]], window_s: int) -> list[tuple[str, float, int, str]]:
    """(account, kzt, ts, source) the victim's money at hop 0: the victim's transfers to
    the beneficiaries when the graph has them, else the reported amount split evenly at
    the time it occurred (or, unknown, one window before the report)."""
    if paid:
        return [(str(p["dst"]), float(p["amount"]), int(p["ts"]), "transfer") for p in paid]
    if not beneficiaries:
        return []
    amount = float(incident.get("amount") or 0.0)
    occurred = incident.get("occurred_ts")
    ts = int(occurred) if occurred is not None else int(incident.get("reported_ts") or 0) - window_s
    share = amount / len(beneficiaries)
    return [(b, share, ts, "reported") for b in sorted(beneficiaries)]


def scope_trace(trace: dict[str, Any], visible: Callable[[str], bool]) -> dict[str, Any]:
    """A trace response as a bank may see it: accounts for which `visible` is false are
    "at another bank" (no pseudonym, no bank); a transfer with such an end keeps its hop,
    amounts and time only (no transaction id, channel or interbank flag: those are the
    other bank's ledger). Totals are unchanged: they are the victim's money."""

    def acc(a: str | None) -> str | None:
        return a if a is None or visible(a) else None

    hops = []
    for h in trace["hops"]:
        edges = []
        for e in h["edges"]:
            if visible(e["src"]) and visible(e["dst"]):
                edges.append(e)
                continue
            edges.append({"hop": e["hop"], "tx_id": None, "src": acc(e["src"]),
                          "dst": acc(e["dst"]), "ts": e["ts"], "amount_kzt": e["amount_kzt"],
                          "traced_kzt": e["traced_kzt"], "channel": None, "interbank": None,
                          "cash_out": e["cash_out"], "exit": e.get("exit"),
                          "at_other_bank": True})
        hops.append({**h, "edges": edges})
    holders = [h if visible(h["account"]) else
               {**h, "account": None, "bank": None, "at_other_bank": True}
               for h in trace["holders"]]
    cash_outs = [c if visible(c["account"]) else
                 {**c, "account": None, "tx_id": None, "at_other_bank": True}
                 for c in trace["cash_outs"]]
    # An exit keeps the kind of identifier the money left to (not personal data); which
    # card or wallet it was is for those who may see the counterparty.
    exits = [x if visible(x["account"]) and visible(x["to"]) else
             {**x, "account": acc(x["account"]), "to": acc(x["to"]), "tx_id": None,
              "at_other_bank": True}
             for x in trace.get("exits", [])]
    start = [s if visible(s["account"]) else {**s, "account": None, "at_other_bank": True}
             for s in trace["start"]]
    return {**trace, "start": start, "hops": hops, "holders": holders,
            "cash_outs": cash_outs, "exits": exits}

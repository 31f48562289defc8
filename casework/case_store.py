"""Cases and alert dismissals in Neo4j, inside the caller's write transaction (the API's
async driver). Every change locks the case first (cypher/cases/lock.cypher), applies a
pure transition from `casework.cases` to the state it read, writes the new state and
appends one history event; a refused transition raises before anything is written, and
the transaction rolls back."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from neo4j import AsyncManagedTransaction

from casework import cases as C
from casework.alert_store import event_id
from casework.errors import NotFoundError, TransitionError
from cypher import statement, template
from fraudgraph.vocabulary import LABEL_OF

# The entities a case links, and their labels.
LABELS = LABEL_OF


def q(name: str) -> str:
    return statement(f"cases/{name}")


def qa(name: str) -> str:
    return statement(f"alerts/{name}")


def new_case_id() -> str:
    return f"case_{secrets.token_hex(6)}"


async def rows(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [r.data() async for r in result]


async def history(tx: AsyncManagedTransaction, subject: str, action: str, detail: dict[str, Any],
                  now_ts: int, by: str) -> None:
    await rows(tx, qa("history"), rows=[{
        "id": event_id(subject, action, now_ts), "subject": subject, "at_ts": now_ts, "by": by,
        "action": action, "detail": json.dumps(detail, sort_keys=True, default=str)}])


async def _state(tx: AsyncManagedTransaction, case_id: str) -> C.CaseState:
    got = await rows(tx, q("lock"), id=case_id)
    if not got:
        raise NotFoundError(f"no case {case_id}")
    r = got[0]
    return C.CaseState(r["status"], r["assignee"], r["verdict"], r["scheme"])


async def _write_state(tx: AsyncManagedTransaction, case_id: str, st: C.CaseState,
                       now_ts: int, by: str) -> None:
    await rows(tx, q("update"), id=case_id, status=st.status, assignee=st.assignee,
               verdict=st.verdict, scheme=st.scheme, now_ts=now_ts, by=by)


async def _link(tx: AsyncManagedTransaction, case_id: str, alerts: list[str],
                entities: list[dict[str, str]], now_ts: int) -> None:
    if alerts:
        found = {r["id"]: r for r in await rows(tx, q("alert_states"), ids=alerts)}
        missing = sorted(set(alerts) - set(found))
        if missing:
            raise NotFoundError(f"no alert {', '.join(missing[:5])}")
        for a in alerts:
            C.alert_into_case(found[a]["status"], found[a]["case_id"], case_id)
        await rows(tx, q("link_alerts"), id=case_id, alerts=alerts, now_ts=now_ts)
    for kind, label in LABELS.items():
        ids = [e["id"] for e in entities if e["kind"] == kind]
        if not ids:
            continue
        got = await rows(tx, template("cases/link_entities", LABEL=label), id=case_id, ids=ids)
        missing = sorted(set(ids) - set(got[0]["found"] if got else []))
        if missing:
            raise NotFoundError(f"no {kind} {', '.join(missing[:5])}")


async def create_case(tx: AsyncManagedTransaction, *, title: str, assignee: str | None,
                      alerts: list[str], entities: list[dict[str, str]], now_ts: int,
                      by: str, case_id: str | None = None) -> str:
    if not alerts and not entities:
        raise TransitionError("a case is opened from at least one alert or entity")
    t = C.create(assignee)
    cid = case_id or new_case_id()
    await rows(tx, q("create"), id=cid, title=title, status=t.state.status,
               assignee=t.state.assignee, now_ts=now_ts, by=by)
    await history(tx, cid, t.action, {**t.detail, "title": title}, now_ts, by)
    await _link(tx, cid, alerts, entities, now_ts)
    await history(tx, cid, "linked", {"alerts": alerts, "entities": entities}, now_ts, by)
    for a in alerts:
        await history(tx, a, "linked", {"case": cid}, now_ts, by)
    return cid


async def change(tx: AsyncManagedTransaction, case_id: str,
                 transition: Callable[[C.CaseState], C.Transition], *, now_ts: int,
                 by: str, decided_ts: int | None = None) -> C.Transition:
    """Lock, check, write: one case change and its history event (and, for links,
    closing and reopening, what they do to alerts and verdicts)."""
    before = await _state(tx, case_id)
    t = transition(before)
    if t.action == "linked":
        await _link(tx, case_id, t.detail["alerts"], t.detail["entities"], now_ts)
        for a in t.detail["alerts"]:
            await history(tx, a, "linked", {"case": case_id}, now_ts, by)
    await _write_state(tx, case_id, t.state, now_ts, by)
    detail = dict(t.detail)
    if t.action == "closed":
        await rows(tx, q("close_alerts"), id=case_id, verdict=t.state.verdict, now_ts=now_ts,
                   by=by)
        at = now_ts if decided_ts is None else decided_ts
        got = await rows(tx, q("verdicts_write"), id=case_id, verdict=t.state.verdict,
                         scheme=t.state.scheme, now_ts=at, by=by)
        detail["labelled_accounts"] = len(got[0]["accounts"]) if got else 0
        detail["decided_ts"] = at
    elif t.action == "reopened":
        await rows(tx, q("reopen_alerts"), id=case_id, now_ts=now_ts)
        got = await rows(tx, q("verdicts_withdraw"), id=case_id, now_ts=now_ts, by=by)
        detail["withdrawn_labels"] = int(got[0]["n"]) if got else 0
    await history(tx, case_id, t.action, detail, now_ts, by)
    return C.Transition(t.state, t.action, detail)


async def dismiss(tx: AsyncManagedTransaction, alert_id: str, reason: str, *, now_ts: int,
                  by: str) -> None:
    got = await rows(tx, q("alert_states"), ids=[alert_id])
    if not got:
        raise NotFoundError(f"no alert {alert_id}")
    C.dismiss_alert(got[0]["status"], reason)
    await rows(tx, qa("dismiss"), id=alert_id, now_ts=now_ts, by=by, reason=reason.strip())
    await history(tx, alert_id, "dismissed", {"reason": reason.strip()}, now_ts, by)

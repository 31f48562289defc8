"""/v1/lists/{black|grey}: read (analysts), add and remove (admins). Every change is in
the audit trail; removal is a soft delete (see cypher/api/list_remove.cypher) so the
entry itself keeps who removed it, when and why."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, Path, Query, Request
from neo4j import AsyncManagedTransaction

from api import deps
from api.auth import require
from api.db import cypher, tx_rows
from api.deps import EngineDep, GraphDep, PrincipalDep, PseudoDep
from api.errors import Conflict, NotFound, Unprocessable
from api.explain import plain
from api.models.lists import ListEntryIn, ListEntryOut, ListEntryRemoved, ListPage
from fraudgraph.pseudonym import PREFIX, is_pseudonym, scrub_text
from gnn.propagation.config import DEFAULT_SEED_WEIGHTS
from graph_loader.feeds import RowRejected, ShapeContext, list_entry
from graph_loader.load import write_statement

router = APIRouter(prefix="/v1", tags=["lists"])
ListName = Literal["black", "grey"]
# The batch run's weights (one definition), so a score does not jump at the next run.
SEED_WEIGHT = DEFAULT_SEED_WEIGHTS


def entry_out(props: dict[str, Any], now: int) -> dict[str, Any]:
    until = props.get("until_ts")
    since = props.get("since_ts")
    out = {k: plain(props.get(k)) for k in (
        "id", "list", "entity_kind", "entity", "reason", "source", "created_by", "created_at",
        "removed_at", "removed_by", "removed_reason")}
    for k in ("created_at", "removed_at"):
        out[k] = str(out[k]) if out[k] is not None else None
    out.update(since_ts=since, until_ts=until,
               active=(since is None or since <= now) and (until is None or until > now)
               and props.get("removed_at") is None)
    return out


@router.get("/lists/{list_name}", response_model=ListPage, summary="Entries of one list",
            dependencies=[Depends(require("lists:read"))])
async def get_list(
    request: Request, list_name: ListName, graph: GraphDep,
    include_inactive: bool = Query(False, description="also expired and removed entries"),
    limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=10_000_000),
) -> Any:
    now = int(time.time())
    row = await graph.read_one(
        cypher("list_get"), list=list_name, all=include_inactive, now=now, limit=limit,
        offset=offset) or {"total": 0, "items": []}
    items = [entry_out(p, now) for p in row["items"]]
    deps.audit_detail(request, list=list_name, entries=[e["id"] for e in items],
                      query={"include_inactive": include_inactive, "limit": limit,
                             "offset": offset})
    return {"items": items, "total": row["total"], "limit": limit, "offset": offset}


@router.post("/lists/{list_name}", response_model=ListEntryOut, status_code=201,
             summary="Add an entry (same rules as the list_entries feed)",
             responses={409: {"description": "entry id already taken"}},
             dependencies=[Depends(require("lists:write"))])
async def add_entry(request: Request, list_name: ListName, body: ListEntryIn,
                    principal: PrincipalDep, graph: GraphDep, engine: EngineDep,
                    p: PseudoDep) -> Any:
    now = datetime.now(UTC)
    entity_id = body.entity_id.strip()
    by_pseudonym = is_pseudonym(entity_id)
    if by_pseudonym and not entity_id.startswith(PREFIX[body.entity_kind] + "_"):
        raise Unprocessable(f"entity_id: a pseudonym of another kind than {body.entity_kind}",
                            field="entity_id")
    raw = {
        "entry_id": body.entry_id or f"api-{uuid.uuid4().hex[:20]}",
        "entity_kind": body.entity_kind,
        "entity_id": entity_id,
        "list": list_name, "reason": body.reason, "source": body.source,
        "since": body.since or now.isoformat(), "until": body.until,
    }
    try:
        row = list_entry(raw, ShapeContext(now=now, pseudo=p),
                         pseudonym=entity_id if by_pseudonym else None).row
    except RowRejected as e:
        raise Unprocessable(f"{e.field}: {e.reason}", field=e.field) from None
    created_at = now.isoformat()

    async def work(tx: AsyncManagedTransaction) -> None:
        if (await tx_rows(tx, cypher("list_entry_exists"), id=row["id"]))[0]["exists"]:
            raise Conflict(f"list entry {row['id']} already exists")
        await (await tx.run(*write_statement("list_entries", [row]))).consume()
        await (await tx.run(cypher("list_created"), id=row["id"], by=principal.key_id,
                            at=created_at)).consume()

    await graph.write(work)
    seeds = [(row["entity_kind"], row["entity"], SEED_WEIGHT[list_name])]
    await to_thread.run_sync(lambda: engine.on_new_seeds(seeds))
    deps.audit_detail(request, change="add", entry=row["id"], list=list_name,
                      entity=row["entity"])
    return entry_out({**row, "created_by": principal.key_id, "created_at": created_at},
                     int(now.timestamp()))


@router.delete("/lists/{list_name}/{entry_id}", response_model=ListEntryRemoved,
               summary="Remove an entry (soft delete, kept for the audit trail)",
               responses={404: {"description": "no such active entry on this list"}},
               dependencies=[Depends(require("lists:write"))])
async def remove_entry(
    request: Request, list_name: ListName, principal: PrincipalDep, graph: GraphDep,
    engine: EngineDep, p: PseudoDep,
    entry_id: str = Path(min_length=1, max_length=128),
    reason: str = Query(min_length=1, max_length=500, description="why it is removed"),
) -> Any:
    now = datetime.now(UTC)
    at = now.isoformat()
    why = scrub_text(reason.strip(), p)
    if not why:
        raise Unprocessable("reason: missing", field="reason")

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        return await tx_rows(tx, cypher("list_remove"), id=entry_id, list=list_name,
                             now_ts=int(now.timestamp()), at=at, by=principal.key_id,
                             reason=why)

    rows = await graph.write(work)
    if not rows:
        raise NotFound(f"no entry {entry_id} on the {list_name} list, or it was removed")
    removed = rows[0]
    if removed.get("entity_kind") and removed.get("entity"):
        seeds = [(str(removed["entity_kind"]), str(removed["entity"]), 0.0)]
        await to_thread.run_sync(lambda: engine.on_new_seeds(seeds))
    deps.audit_detail(request, change="remove", entry=entry_id, list=list_name,
                      entity=removed.get("entity"))
    return {"id": entry_id, "removed_at": at, "removed_by": principal.key_id}

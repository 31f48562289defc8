"""/v1/keys: administration of API keys (admins). `fraudgraph keys ...` does the same
from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from neo4j import AsyncManagedTransaction

from api import deps
from api.auth import require
from api.db import cypher, tx_rows
from api.deps import GraphDep, KeyCacheDep, PrincipalDep
from api.errors import NotFound, Unprocessable
from api.keys import UNKNOWN_BANK, key_params, schema_statements
from api.models.admin import KeyCreated, KeyIn, KeyOut

router = APIRouter(prefix="/v1", tags=["keys"])


@router.get("/keys", response_model=list[KeyOut], summary="API keys (never the secrets)",
            dependencies=[Depends(require("keys"))])
async def list_keys(request: Request, graph: GraphDep) -> Any:
    rows = await graph.read(cypher("key_list"))
    deps.audit_detail(request, keys=[r["id"] for r in rows])
    return rows


@router.post("/keys", response_model=KeyCreated, status_code=201,
             summary="Create a key; the secret is in this response only",
             dependencies=[Depends(require("keys"))])
async def create_key(request: Request, body: KeyIn, principal: PrincipalDep,
                     g: GraphDep) -> Any:
    token, params = key_params(body.role, body.bank, principal.key_id)
    if params["bank"] is not None:
        row = await g.read_one(cypher("bank_exists"), bank=params["bank"])
        if not (row and row["known"]):
            raise Unprocessable(UNKNOWN_BANK.format(bank=params["bank"]), field="bank")
    for stmt in schema_statements():
        # Schema statements cannot share a transaction with writes.
        async def ddl(tx: AsyncManagedTransaction, stmt: str = stmt) -> None:
            await (await tx.run(stmt)).consume()
        await g.write(ddl)

    async def work(tx: AsyncManagedTransaction) -> None:
        await tx_rows(tx, cypher("key_create"), **params)

    await g.write(work)
    deps.audit_detail(request, change="create_key", new_key=params["id"], role=params["role"])
    return {"id": params["id"], "role": params["role"], "bank": params["bank"],
            "created_at": params["created_at"], "created_by": params["created_by"],
            "revoked": False, "key": token}


@router.delete("/keys/{key_id}", response_model=KeyOut, summary="Revoke a key",
               responses={404: {"description": "no such key"}},
               dependencies=[Depends(require("keys"))])
async def revoke(request: Request, principal: PrincipalDep, graph: GraphDep,
                 keys: KeyCacheDep, key_id: str = Path(min_length=1, max_length=64)) -> Any:
    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        return await tx_rows(tx, cypher("key_revoke"), id=key_id,
                             now=datetime.now(UTC).isoformat(), by=principal.key_id)

    rows = await graph.write(work)
    if not rows:
        raise NotFound(f"no key {key_id}")
    keys.evict(rows[0]["hash"])
    deps.audit_detail(request, change="revoke_key", revoked_key=key_id)
    listed = await graph.read(cypher("key_list"))
    return next(k for k in listed if k["id"] == key_id)

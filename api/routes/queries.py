"""GET /v1/queries and POST /v1/queries/{name}: the investigators' named queries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from neo4j import AsyncManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, Neo4jError

from api import deps
from api.auth import require
from api.db import UNAVAILABLE_ERRORS
from api.deps import GraphDep, PseudoDep, QueriesDep
from api.errors import Unavailable, Unprocessable
from api.models.admin import QueryInfo, QueryResult, QueryRunIn
from cypher.library import shape_result
from cypher.plain import to_plain

router = APIRouter(prefix="/v1", tags=["queries"], dependencies=[Depends(require("queries"))])
MAX_ROWS = 2000
TIMEOUT_S = 30.0


@router.get("/queries", response_model=list[QueryInfo], summary="The named queries")
async def list_queries(catalogue: QueriesDep) -> Any:
    return catalogue.describe()


@router.post("/queries/{name}", response_model=QueryResult,
             summary="Run a named query (read-only) with validated parameters",
             responses={404: {"description": "no such query"}})
async def run_query(request: Request, body: QueryRunIn, catalogue: QueriesDep, g: GraphDep,
                    p: PseudoDep,
                    name: str = Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$"),
                    ) -> Any:
    q = catalogue.prepare(name, body.params, p)
    # What was asked: the query and its validated parameters (raw identifiers among them
    # are pseudonyms by now).
    deps.audit_detail(request, query=name, params=to_plain(q.params))

    @unit_of_work(timeout=TIMEOUT_S)
    async def work(tx: AsyncManagedTransaction) -> tuple[list[dict[str, Any]], bool]:
        result = await tx.run(q.text, q.params)  # type: ignore[arg-type]
        rows: list[dict[str, Any]] = []
        async for rec in result:
            if len(rows) >= MAX_ROWS:
                return rows, True
            rows.append(rec.data())
        return rows, False

    try:
        async with g.driver.session(database=g.database, default_access_mode="READ") as s:
            records, truncated = await s.execute_read(work)
    except UNAVAILABLE_ERRORS as e:
        raise Unavailable(f"the graph database is not reachable ({type(e).__name__})",
                          retry_after_s=g.retry_after_s) from e
    except (ClientError, Neo4jError) as e:
        # Refused or failed for these inputs (a type error, the timeout): not a server bug.
        raise Unprocessable(f"query {name} failed: {e.code}") from e
    shaped = shape_result(q.returns, records)
    return {"query": name, "returns": q.returns, "params": to_plain(q.params),
            "rows": shaped.pop("rows", None), "nodes": shaped.pop("nodes", None),
            "edges": shaped.pop("edges", None), "extra": shaped, "truncated": truncated}

"""GET /v1/monitoring: the investigator's loop per week (alerts raised and closed,
verdict mix and precision, score drift, incidents alerted before their report)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Query

from api.auth import require
from api.deps import GraphDep
from api.models.casework import Monitoring
from casework.monitor_store import assemble, default_since
from cypher import statement

router = APIRouter(prefix="/v1", tags=["monitoring"],
                   dependencies=[Depends(require("cases"))])


@router.get("/monitoring", response_model=Monitoring, summary="Alert loop, per week")
async def monitoring(g: GraphDep, weeks: int = Query(12, ge=1, le=520)) -> Any:

    async def read(name: str, **params: Any) -> list[dict[str, Any]]:
        return await g.read(statement(f"alerts/{name}"), **params)

    runs = await read("monitor_runs", since=0)
    since = default_since([int(r["as_of"]) for r in runs], weeks, int(time.time()))
    return assemble([r for r in runs if r["as_of"] >= since],
                    await read("monitor_alerts", since=since),
                    await read("monitor_incidents", since=since),
                    await read("lead_accounts"), since)

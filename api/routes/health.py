"""GET /health (liveness), /ready (Neo4j and the risk engine), /metrics (Prometheus).
None needs a key: a load balancer and a Prometheus scraper have none. They reveal no
personal data (counts by route template and status, the engine's name and state)."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from api.deps import ConfigDep, EngineDep, GraphDep, MetricsDep
from api.errors import Unavailable
from api.metrics import CONTENT_TYPE
from api.models.common import Health, Ready
from api.problems import problem

public = APIRouter(tags=["operations"])
router = public  # one router: nothing here is behind a key


@public.get("/health", response_model=Health, summary="Liveness (no authentication)")
async def health() -> Health:
    return Health()


@router.get("/ready", response_model=Ready, summary="Readiness: Neo4j reachable, model state",
            responses={503: {"description": "Neo4j unreachable or model not loaded"}})
async def ready(request: Request, graph: GraphDep, engine: EngineDep, config: ConfigDep,
                m: MetricsDep) -> Any:
    info = await to_thread.run_sync(engine.info)
    try:
        await graph.ping(config.check_timeout_s)
        neo4j = "ok"
    except Unavailable:
        neo4j = "unavailable"
    m.neo4j_up.set(1 if neo4j == "ok" else 0)
    ok = neo4j == "ok" and bool(info.get("loaded", False))
    if not ok:
        retry = str(config.retry_after_s)
        return problem(503, f"not ready: neo4j {neo4j}, model loaded "
                            f"{bool(info.get('loaded', False))}", headers={"Retry-After": retry},
                       request=request, neo4j=neo4j, model=info)
    return JSONResponse(Ready(status="ready", neo4j="ok", model=info).model_dump())


@router.get("/metrics", summary="Prometheus metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE: {}}}})
async def metrics(m: MetricsDep) -> Response:
    return Response(m.render(), media_type=CONTENT_TYPE)

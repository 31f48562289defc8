"""The FastAPI application: create_app wires settings, the one async Neo4j driver (opened
in lifespan, closed on shutdown), the risk engine, auth, audit, metrics and the routes."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from neo4j import AsyncDriver, Driver

from api import problems
from api.audit import AuditLog
from api.auth import KeyCache
from api.config import ApiConfig
from api.db import Graph, cypher, make_async_driver
from api.guard import GuardMiddleware
from api.metrics import Metrics
from api.models.common import Problem
from api.observe import ObserveMiddleware, throttle_error_logs
from api.problems import COMMON_RESPONSES
from api.querylib import QueryCatalogue, default_catalogue
from api.ratelimit import Rate, RateLimiter
from api.risk import RiskEngine, StoredRiskEngine
from api.routes import casework as casework_routes
from api.routes import (
    check,
    clusters,
    entities,
    health,
    incidents,
    keys,
    lists,
    queries,
    screen,
)
from api.ui import mount_ui
from fraudgraph.db import make_driver
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings

log = logging.getLogger(__name__)

DriverFactory = Callable[[Settings, int], AsyncDriver]

DESCRIPTION = """Graph analytics for the Anti-Fraud Centre.

Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>` (keys come from
`fraudgraph keys create`). Roles: `bank` (pre-payment check, its own incidents, risk
bands of other banks' customers without evidence), `afc_analyst` (everything but
administration), `admin` (everything, including lists and keys).

Identifiers may be sent raw (IBAN, IIN, phone, device id) or as pseudonyms, raw ones in
request bodies only (never in an address: `POST /v1/entities/lookup`); they are
pseudonymised on entry. Responses carry pseudonyms only. A bank sees full evidence only
about its own customers: another bank's customer appears as "an account at another
bank" with its band. Errors are `application/problem+json`; 503 (with Retry-After)
means the graph database is unreachable and the request may be retried; 429 (with
Retry-After) that this key's rate limit is reached; 413 that the body is too large.
`/health`, `/ready` and `/metrics` need no key.
"""


def create_app(
    settings: Settings,
    *,
    config: ApiConfig | None = None,
    engine: RiskEngine | None = None,
    driver_factory: DriverFactory | None = None,
    query_catalogue: QueryCatalogue | None = None,
) -> FastAPI:
    """The API app. Nothing connects until the app starts (lifespan)."""
    config = config or settings.api
    def audit_connect() -> tuple[Driver, str]:
        return make_driver(settings, max_pool=2), settings.neo4j_database

    audit = AuditLog(audit_connect, config.audit_dir)
    metrics = Metrics()
    def factory(s: Settings, max_pool: int) -> AsyncDriver:
        if driver_factory is not None:
            return driver_factory(s, max_pool)
        return make_async_driver(s, max_pool=max_pool, timeout_s=config.neo4j_acquire_s)


    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        throttle_error_logs(config.error_log_interval_s)
        driver = factory(settings, config.max_pool)
        graph = Graph(driver, settings.neo4j_database, retry_after_s=config.retry_after_s,
                      timeout_s=config.neo4j_timeout_s)
        app.state.graph = graph
        # The hot path's statements, planned as soon as the graph answers (at start and
        # after an outage), so that the first checks do not wait on a cold plan cache.
        graph.keep_warm(cypher("key_lookup"), hash="")
        graph.keep_warm(cypher("check"), payer="", payee="", device=None, phone=None, at=0,
                        sim_window=config.check.sim_change_window_s,
                        inbound_window=config.check.inbound_window_s)
        app.state.keys = KeyCache(graph, config.key_cache_ttl_s,
                                  budget_s=config.check_timeout_s)
        audit.start()
        # Everything built so far (FastAPI, pydantic, torch, the driver) lives as long as
        # the process. Frozen, the cyclic collector stops rescanning it: a full collection
        # then takes about a millisecond instead of stalling every request in flight for
        # ~50 ms every few seconds (bench/api_service.py: the p99 of /v1/check).
        gc.collect()
        gc.freeze()
        log.info("fraudgraph API up: database %s, engine %s", settings.neo4j_database,
                 app.state.engine.info().get("name"))
        try:
            yield
        finally:
            await graph.close()
            await driver.close()
            audit.close()

    app = FastAPI(
        title="fraudgraph AFC API", version="1.0.0", description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[{"name": n} for n in (
            "check", "screening", "entities", "clusters", "incidents", "lists", "queries",
            "keys", "operations", *casework_routes.TAGS)],
    )
    app.state.settings = settings
    app.state.config = config
    app.state.pseudo = Pseudonymiser(settings.pseudonym_key.get_secret_value())
    app.state.engine = engine or StoredRiskEngine()
    app.state.queries = query_catalogue or default_catalogue()
    app.state.audit = audit
    app.state.metrics = metrics
    app.state.retry_after_s = config.retry_after_s
    app.state.limiter = RateLimiter({
        "check": Rate(config.rate_check_per_s, config.rate_check_burst),
        "lookup": Rate(config.rate_lookup_per_s, config.rate_lookup_burst),
        "default": Rate(config.rate_default_per_s, config.rate_default_burst)})
    problems.install(app)
    # Added innermost first: Observe (request id, metrics, audit) sees what Guard refuses.
    app.add_middleware(GuardMiddleware, max_body_bytes=config.max_body_bytes,
                       budgets={"/v1/check": config.check_timeout_s})
    app.add_middleware(ObserveMiddleware, audit=audit, metrics=metrics)
    for module in (health, check, screen, entities, clusters, incidents, lists, queries,
                   keys, *casework_routes.MODULES):
        app.include_router(module.router, responses=COMMON_RESPONSES)
    _add_problem_schema(app)
    mount_ui(app)
    return app


def _add_problem_schema(app: FastAPI) -> None:
    """The Problem model in components, for the problem+json responses' $ref."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes,
                                 tags=app.openapi_tags)
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
                Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
            for name, sub in Problem.model_json_schema(
                    ref_template="#/components/schemas/{model}").get("$defs", {}).items():
                schema["components"]["schemas"][name] = sub
            schema["components"]["schemas"]["Problem"].pop("$defs", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

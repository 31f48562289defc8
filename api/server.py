"""`uvicorn api.server:app_from_env --factory`: the app built from the environment (for
multi-worker runs and the benchmark), with the same propagation engine as a single
`fraudgraph serve` process, so no worker answers without explanation paths or only
queues the seeds it is sent."""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

log = logging.getLogger(__name__)


def propagation_engine(settings: Any) -> tuple[Any, Callable[[], None]]:
    """The propagation engine over the current graph, with its own sync driver (the
    engine's pushes and write-backs are CPU-bound and run in worker threads), and how to
    close it. (None, no-op) when the graph cannot be read yet: the API then serves the
    stored risk only, and says so in /ready."""
    from neo4j.exceptions import DriverError, Neo4jError

    from fraudgraph.db import make_driver
    from fraudgraph.errors import FraudgraphError
    from gnn.propagation.engine import PropagationEngine

    try:
        driver = make_driver(settings)
        engine = PropagationEngine.build(driver, settings.neo4j_database,
                                         cache_dir=settings.var_dir / "cache",
                                         models_root=settings.var_dir / "models")
    except (FraudgraphError, Neo4jError, DriverError, OSError, ValueError) as e:
        log.warning("propagation engine unavailable (%s); serving stored risk only", e)
        return None, lambda: None
    return engine, driver.close


def app_from_env() -> FastAPI:
    from api.app import create_app
    from fraudgraph.settings import Settings

    settings = Settings()
    settings.check_deployable()
    # One engine per worker process, built as `serve` builds it for one process.
    engine, close = propagation_engine(settings)
    atexit.register(close)
    return create_app(settings, engine=engine)

"""`uvicorn api.server:app_from_env --factory`: the app built from the environment (for
multi-worker runs and the benchmark)."""

from __future__ import annotations

from fastapi import FastAPI


def app_from_env() -> FastAPI:
    from api.app import create_app
    from fraudgraph.settings import Settings

    settings = Settings()
    settings.check_deployable()
    return create_app(settings)

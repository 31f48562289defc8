"""Every error leaves the API as application/problem+json (RFC 9457). One place maps
exceptions to statuses; no input can reach the catch-all, which logs and answers 500
only for a genuine bug."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.db import UNAVAILABLE_ERRORS
from api.errors import ApiError, Unavailable, Unprocessable

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Payload too large",
           415: "Unsupported media type", 422: "Unprocessable request",
           500: "Internal server error", 503: "Service unavailable"}


def _doc(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description, "content": {
        PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if headers:
        out["headers"] = headers
    return out


# Documented on every /v1 operation (and /ready, /metrics): what any of them may answer.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _doc("a body that cannot be parsed (not UTF-8, not JSON)"),
    401: _doc("missing, invalid or revoked API key",
              {"WWW-Authenticate": {"schema": {"type": "string"}}}),
    403: _doc("the key's role may not do this"),
    404: _doc("no such resource"),
    413: _doc("the body is over the size limit"),
    422: _doc("invalid request"),
    429: _doc("this key's rate limit is reached; retry after Retry-After seconds",
              {"Retry-After": {"schema": {"type": "integer"}}}),
    500: _doc("internal error (a bug; logged)"),
    503: _doc("the graph database is unreachable; retry after Retry-After seconds",
              {"Retry-After": {"schema": {"type": "integer"}}}),
}


def problem(status: int, detail: str, *, title: str | None = None,
            headers: dict[str, str] | None = None, request: Request | None = None,
            **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if request is not None and "request_id" in request.scope.get("state", {}):
        body["instance"] = f"urn:fraudgraph:request:{request.scope['state']['request_id']}"
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _loc(loc: Any) -> str:
    return ".".join(str(p) for p in loc if p != "body") or "body"


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    extra: dict[str, Any] = {}
    if isinstance(exc, Unprocessable) and exc.field:
        extra["errors"] = [{"field": exc.field, "message": exc.detail}]
    if isinstance(exc, Unavailable):
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is not None:
            metrics.neo4j_up.set(0)
    return problem(exc.status, exc.detail, title=exc.title, headers=exc.headers,
                   request=request, **extra)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The input values are left out on purpose: they may be raw IBANs or phone numbers.
    errors = [{"field": _loc(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
              for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem(422, detail or "invalid request", request=request, errors=errors)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "")
    if exc.status_code == 404 and detail == "Not Found":
        detail = "no such endpoint"
    return problem(exc.status_code, detail, headers=dict(exc.headers or {}), request=request)


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    retry = getattr(request.app.state, "retry_after_s", 5)
    return await _api_error(request, Unavailable(
        f"the graph database is not reachable ({type(exc).__name__}); retry later",
        retry_after_s=retry))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    route = getattr(request.scope.get("route"), "path", "<unmatched>")
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, route,
              exc_info=exc)
    return problem(500, "internal error; it has been logged", request=request)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    for exc_type in UNAVAILABLE_ERRORS:
        app.add_exception_handler(exc_type, _unavailable)
    app.add_exception_handler(Exception, _unexpected)

"""The API's front door, before any route runs (pure ASGI, microseconds per request):

1. every /v1 request names a valid key before its body is read (401 otherwise), so an
   anonymous client cannot make the server parse anything;
2. the body is at most `max_body_bytes`: a larger Content-Length is refused (413) before
   a byte is read, and a chunked body is cut off (413) as soon as it grows past it;
3. the body's text is well-formed Unicode: a JSON string holding a lone UTF-16 surrogate
   (`"\\ud800"`, legal JSON, not encodable as UTF-8) is answered 422, never passed on to
   the driver, where it would fail as a 500;
4. a path with a time budget (the check's) gets one deadline for the whole request, the
   key lookup included: during an outage the answer (503) comes within the budget, not
   after one budget for the key and another for the check.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db import request_deadline
from api.errors import ApiError
from api.problems import problem

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PROTECTED = "/v1/"


class BodyTooLarge(ApiError):
    status = 413
    title = "Payload too large"


def _lone_surrogate_at(value: Any, where: str = "body") -> str | None:
    """The field path of the first string holding a lone surrogate, or None."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        v, at = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return at
        elif isinstance(v, dict):
            for k, x in v.items():
                stack.append((k, f"{at} (a key)"))
                stack.append((x, f"{at}.{k}" if at != "body" else str(k)))
        elif isinstance(v, list):
            stack.extend((x, f"{at}[{i}]") for i, x in enumerate(v))
    return None


def _token(scope: Scope) -> str | None:
    bearer = api_key = None
    for name, value in scope.get("headers") or []:
        if name == b"authorization":
            scheme, _, cred = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and cred.strip():
                bearer = cred.strip()
        elif name == b"x-api-key":
            api_key = value.decode("latin-1").strip() or None
    return bearer or api_key


class GuardMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int,
                 budgets: Mapping[str, float] | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.budgets = dict(budgets or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        budget = self.budgets.get(scope["path"])
        if budget is None:
            await self._guard(scope, receive, send)
            return
        with request_deadline(budget):
            await self._guard(scope, receive, send)

    async def _guard(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        try:
            if scope["path"].startswith(_PROTECTED):
                await self._authenticate(scope)
            body = await self._read_body(scope, receive)
        except ApiError as e:
            _name_route(scope)
            await problem(e.status, e.detail, title=e.title, headers=e.headers,
                          request=request)(scope, receive, send)
            return
        if body is not None and _SURROGATE_ESCAPE.search(body):
            at = None
            with contextlib.suppress(ValueError):  # not JSON: the route's parsing answers
                at = _lone_surrogate_at(json.loads(body))
            if at is not None:
                await problem(422, f"{at}: not well-formed Unicode (a lone UTF-16 "
                                   "surrogate)", request=request,
                              errors=[{"field": at, "message": "not well-formed Unicode"}]
                              )(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive) if body is not None else receive, send)

    async def _authenticate(self, scope: Scope) -> None:
        # Imported here: auth imports the routes' dependencies, which import this package.
        from api.errors import Unauthorized

        token = _token(scope)
        if not token:
            raise Unauthorized(
                "missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
        principal = await scope["app"].state.keys.lookup(token)
        if principal is None:
            raise Unauthorized("invalid or revoked API key")

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body (None for a request that has none), within the limit."""
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return None
        limit = self.max_body_bytes
        for name, value in scope.get("headers") or []:
            if name == b"content-length":
                try:
                    n = int(value)
                except ValueError:
                    raise ApiError("Content-Length is not a number") from None
                if n > limit:
                    raise BodyTooLarge(f"the body is {n} bytes; at most {limit} are accepted")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(f"the body is over {limit} bytes, the most accepted")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class _Template:
    """Stands in for the matched route in `scope['route']` (observe.py reads `.path`)."""

    def __init__(self, path: str) -> None:
        self.path = path


def _name_route(scope: Scope) -> None:
    """The route template of a request refused here, for metrics and the audit trail
    (which record templates, never the raw path: it may hold an identifier)."""
    from starlette.routing import compile_path

    app = scope.get("app")
    if app is None:
        return
    table = getattr(app.state, "route_templates", None)
    if table is None:
        table = [(compile_path(p)[0], p) for p in app.openapi().get("paths", {})]
        app.state.route_templates = table
    for regex, template in table:
        if regex.match(scope["path"]):
            scope["route"] = _Template(template)
            return


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay

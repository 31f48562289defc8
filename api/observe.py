"""One pure-ASGI middleware that times every request and hands it to metrics and audit.
Pure ASGI rather than BaseHTTPMiddleware: it costs microseconds on the hot path."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import AuditLog
from api.keys import Principal
from api.metrics import Metrics

UNMATCHED = "<unmatched>"


def _outcome(status: int) -> str:
    if status < 400:
        return "ok"
    if status in (401, 403):
        return "denied"
    if status < 500:
        return "rejected"
    return "error"


class ObserveMiddleware:
    def __init__(self, app: ASGIApp, audit: AuditLog, metrics: Metrics) -> None:
        self.app = app
        self.audit = audit
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 500
        request_id = uuid.uuid4().hex[:16]
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        except BaseException:
            status = 500
            raise
        finally:
            seconds = time.perf_counter() - t0
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            method = scope.get("method", "")
            self.metrics.observe(method, route, status, seconds)
            p: Principal | None = state.get("principal")
            event: dict[str, Any] = {
                "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "request_id": request_id,
                "key_id": p.key_id if p else None,
                "role": p.role if p else None,
                "bank": p.bank if p else None,
                "method": method,
                "route": route,
                "status": status,
                "outcome": _outcome(status),
                "ms": round(seconds * 1000, 2),
            }
            if "audit" in state:  # pseudonyms and facts a route chose to record
                event["detail"] = state["audit"]
            self.audit.record(event)

"""One pure-ASGI middleware that times every request and hands it to metrics and audit.
Pure ASGI rather than BaseHTTPMiddleware: it costs microseconds on the hot path.

An exception no handler took becomes a 500 problem here, inside the middleware, so that
it too carries the request id (header and `instance`) by which the log line is found.
Error logs are throttled (`throttle_error_logs`): during an outage the same line once per
interval with a count of those left out, not once per request."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import AuditLog
from api.keys import Principal
from api.metrics import Metrics

UNMATCHED = "<unmatched>"
log = logging.getLogger(__name__)
# Loggers that repeat themselves while Neo4j is away.
_NOISY = ("neo4j", "neo4j.io", "neo4j.pool", "neo4j.session", "api", "api.db",
          "api.problems", "api.observe", "api.audit", "uvicorn.error")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class ErrorLogThrottle(logging.Filter):
    """Lets one record per (logger, message) through per `interval_s`, numbers in the
    message not counting (the driver formats its retry delays into the text); the next one
    that passes says how many were left out."""

    def __init__(self, interval_s: float) -> None:
        super().__init__()
        self.interval_s = interval_s
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or self.interval_s <= 0:
            return True
        key = (record.name, _NUMBER.sub("#", str(record.msg))[:200])
        now = time.monotonic()
        with self._lock:
            last, dropped = self._seen.get(key, (-1e18, 0))
            if now - last < self.interval_s:
                self._seen[key] = (last, dropped + 1)
                return False
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[key] = (now, 0)
        if dropped:
            record.msg = f"{record.msg} [{dropped} more like this in the last " \
                         f"{self.interval_s:g} s left out]"
        return True


def throttle_error_logs(interval_s: float) -> None:
    """Install one throttle on the noisy loggers (once per process; idempotent)."""
    for name in _NOISY:
        lg = logging.getLogger(name)
        for f in list(lg.filters):
            if isinstance(f, ErrorLogThrottle):
                lg.removeFilter(f)
        lg.addFilter(ErrorLogThrottle(interval_s))


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

        started = False

        async def send_status(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        except Exception as exc:
            status = 500
            if started:
                raise
            from starlette.requests import Request

            from api.problems import problem
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            log.error("unhandled %s on %s %s (request %s)", type(exc).__name__,
                      scope.get("method"), route, request_id, exc_info=exc)
            await problem(500, "internal error; it has been logged", request=Request(scope)
                          )(scope, receive, send_status)
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

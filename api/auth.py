"""Authentication (API keys) and the role -> permission table.

The hot path must not pay a database round trip per request for auth, so key look-ups
are cached in memory by key hash for `key_cache_ttl_s` (invalid keys for at most 5 s,
so that a key created a moment ago works quickly). Revocation through the API evicts
at once; through the CLI it takes effect within the TTL.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.db import Graph, cypher
from api.errors import Forbidden, Unauthorized
from api.keys import Principal, hash_token

# Which roles hold which permission. `admin` holds all; `afc_analyst` all but
# administration (list changes, keys); `bank` only what a participant bank needs, with
# row-level limits enforced in the routes (own bank's evidence, own incidents).
PERMISSIONS: dict[str, frozenset[str]] = {
    "check": frozenset({"bank", "afc_analyst", "admin"}),
    "risk": frozenset({"bank", "afc_analyst", "admin"}),
    "incidents:create": frozenset({"bank", "afc_analyst", "admin"}),
    "incidents:trace": frozenset({"bank", "afc_analyst", "admin"}),
    "incidents:retract": frozenset({"bank", "afc_analyst", "admin"}),
    "incidents:confirm": frozenset({"afc_analyst", "admin"}),
    "screen": frozenset({"bank", "afc_analyst", "admin"}),
    "reidentify": frozenset({"admin"}),
    "clusters": frozenset({"afc_analyst", "admin"}),
    "lists:read": frozenset({"afc_analyst", "admin"}),
    "lists:write": frozenset({"admin"}),
    "queries": frozenset({"afc_analyst", "admin"}),
    "keys": frozenset({"admin"}),
    "ops": frozenset({"afc_analyst", "admin"}),
    # casework: banks read alerts about their own customers; AFC analysts work them.
    "alerts:read": frozenset({"bank", "afc_analyst", "admin"}),
    "cases": frozenset({"afc_analyst", "admin"}),
    # Any valid key (the workbench's who-am-i); /ready itself needs none.
    "ready": frozenset({"bank", "afc_analyst", "admin"}),
}
# The rate-limit class of each permission (api/ratelimit.py); others are "default".
RATE_CLASS = {"check": "check", "screen": "check"}
MAX_TOKEN_LEN = 256
_NEGATIVE_TTL_S = 5.0


class KeyCache:
    """hash(key) -> Principal (or None for unknown/revoked), kept for a short while."""

    def __init__(self, graph: Graph, ttl_s: float, max_entries: int = 10_000,
                 budget_s: float | None = None) -> None:
        self.graph = graph
        self.ttl_s = ttl_s
        self.budget_s = budget_s
        self.max_entries = max_entries
        self._entries: dict[str, tuple[Principal | None, float]] = {}

    async def lookup(self, token: str) -> Principal | None:
        if len(token) > MAX_TOKEN_LEN:
            return None
        h = hash_token(token)
        now = time.monotonic()
        hit = self._entries.get(h)
        if hit is not None and hit[1] > now:
            return hit[0]
        row = await self.graph.read_one(cypher("key_lookup"), budget_s=self.budget_s, hash=h)
        principal = None
        if row is not None and not row["revoked"]:
            principal = Principal(key_id=row["id"], role=row["role"], bank=row["bank"])
        if len(self._entries) >= self.max_entries:
            # Crude but bounded: a flood of random keys cannot grow memory.
            self._entries.clear()
        ttl = self.ttl_s if principal is not None else min(self.ttl_s, _NEGATIVE_TTL_S)
        self._entries[h] = (principal, now + ttl)
        return principal

    def evict(self, key_hash: str) -> None:
        self._entries.pop(key_hash, None)

    def clear(self) -> None:
        self._entries.clear()


_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


async def authenticate(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
    api_key: str | None = Depends(_api_key),
) -> Principal:
    """The caller behind the request's API key (401 without a valid one). Tests replace
    this one dependency (app.dependency_overrides) to act as any principal."""
    token = bearer.credentials if bearer is not None else api_key
    if not token:
        raise Unauthorized(
            "missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
    # The key cache is looked up only now: a request without a key is refused even where
    # the app has none (not started).
    principal: Principal | None = await request.app.state.keys.lookup(token)
    if principal is None:
        raise Unauthorized("invalid or revoked API key")
    return principal


def require(permission: str, *, rate: str | None = None
            ) -> Callable[..., Awaitable[Principal]]:
    """A dependency that authenticates the caller, checks one permission and spends one
    token of the key's rate limit (class `rate`, else the permission's class)."""
    allowed = PERMISSIONS[permission]
    rate_class = rate or RATE_CLASS.get(permission, "default")

    async def dependency(request: Request,
                         principal: Principal = Depends(authenticate)) -> Principal:
        # Set here, not in authenticate, so that the audit names an overridden caller too,
        # refused ones included.
        request.state.principal = principal
        if principal.role not in allowed:
            raise Forbidden(f"role '{principal.role}' may not use this endpoint "
                            f"(needs permission '{permission}')")
        limiter = getattr(request.app.state, "limiter", None)
        if limiter is not None:
            limiter.take(principal.key_id, rate_class)
        return principal

    return dependency

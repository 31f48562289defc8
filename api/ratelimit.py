"""Per-key rate limits: a token bucket per (key id, class), in this process's memory.

Each class (`check`, `lookup`, `default`, ...) has a sustained rate and a burst. Over the
limit a request is answered 429 with Retry-After (whole seconds until a token is back).
The identifier lookup has its own, much lower, limit: it turns raw identifiers into
pseudonyms, so a dictionary run through it must be slow. Several API processes each keep
their own buckets: the effective limit is at most workers x the configured one.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from api.errors import ApiError


class TooManyRequests(ApiError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_s)})


@dataclass(frozen=True)
class Rate:
    per_s: float
    burst: float


class RateLimiter:
    def __init__(self, rates: dict[str, Rate], max_keys: int = 100_000) -> None:
        self.rates = rates
        self.max_keys = max_keys
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str, cls: str) -> None:
        """Spend one token of `key_id`'s bucket `cls`, or raise TooManyRequests."""
        rate = self.rates.get(cls) or self.rates["default"]
        now = time.monotonic()
        k = (key_id, cls)
        with self._lock:
            tokens, last = self._buckets.get(k, (rate.burst, now))
            tokens = min(rate.burst, tokens + (now - last) * rate.per_s)
            if tokens < 1.0:
                wait = math.ceil((1.0 - tokens) / rate.per_s) if rate.per_s > 0 else 60
                self._buckets[k] = (tokens, now)
                raise TooManyRequests(
                    f"rate limit of this key for '{cls}' reached ({rate.per_s:g}/s, burst "
                    f"{rate.burst:g}); retry after {wait} s", retry_after_s=max(1, wait))
            if len(self._buckets) >= self.max_keys and k not in self._buckets:
                self._buckets.clear()
            self._buckets[k] = (tokens - 1.0, now)

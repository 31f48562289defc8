"""What the stream consumer counts: its report (StreamStats) and its Prometheus metrics
(StreamMetrics), on the consumer's own /metrics port."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fraudgraph.errors import StreamError


@dataclass
class StreamStats:
    consumed: int = 0
    loaded: int = 0
    rejected: int = 0
    duplicates: int = 0  # the same event id twice in one batch (it is in the graph once)
    skipped: int = 0  # already in the graph (a zombie's or a replayed batch's events)
    batches: int = 0
    per_feed: dict[str, int] = field(default_factory=dict)
    # Seconds from an event's Kafka timestamp (its produce time) to its batch's commit.
    latencies_s: list[float] = field(default_factory=list, repr=False)

    # Wall time from the first batch received to the last batch committed.
    first_batch_at: float | None = None
    last_commit_at: float | None = None

    @property
    def busy_s(self) -> float:
        if self.first_batch_at is None or self.last_commit_at is None:
            return 0.0
        return self.last_commit_at - self.first_batch_at

    def visible_quantile(self, q: float) -> float | None:
        if not self.latencies_s:
            return None
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def as_dict(self) -> dict[str, Any]:
        p50, p99 = self.visible_quantile(0.5), self.visible_quantile(0.99)
        return {"consumed": self.consumed, "loaded": self.loaded, "rejected": self.rejected,
                "duplicates": self.duplicates, "skipped": self.skipped,
                "batches": self.batches, "per_feed": dict(self.per_feed),
                "busy_seconds": round(self.busy_s, 3),
                "visible_p50_s": None if p50 is None else round(p50, 4),
                "visible_p99_s": None if p99 is None else round(p99, 4)}


class StreamMetrics:
    """The consumer's Prometheus metrics, in a registry of its own (one per consumer)."""

    def __init__(self, port: int) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        self.lag = Gauge("fraudgraph_stream_lag", "Events in Kafka not yet in the graph, per "
                         "partition assigned to this consumer", ["topic", "partition"],
                         registry=self.registry)
        self.lag_total = Gauge("fraudgraph_stream_lag_total", "Consumer lag over all "
                               "partitions assigned to this consumer", registry=self.registry)
        self.events = Counter("fraudgraph_stream_events", "Events consumed, by feed and "
                              "outcome (loaded, rejected, duplicate, skipped)",
                              ["feed", "outcome"], registry=self.registry)
        self.latency = Histogram("fraudgraph_stream_visible_seconds", "From an event's "
                                 "produce time to the commit of its batch in the graph",
                                 buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
                                 registry=self.registry)
        self.server: Any = None
        self.port = 0
        if port:
            from prometheus_client import start_http_server

            try:
                self.server, _thread = start_http_server(port, addr="127.0.0.1",
                                                         registry=self.registry)
            except OSError as e:
                raise StreamError(
                    f"cannot serve /metrics on 127.0.0.1:{port} ({e}); a second consumer on "
                    "this host needs its own FRAUDGRAPH_STREAM_METRICS_PORT") from e
            self.port = self.server.server_port

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

"""Prometheus metrics of one app (own registry, so several apps in one process — tests —
do not collide)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fraudgraph_api_requests", "HTTP requests by route template and status",
            ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram(
            "fraudgraph_api_request_seconds", "Request latency by route template",
            ["route"], buckets=_BUCKETS, registry=self.registry)
        self.decisions = Counter(
            "fraudgraph_api_check_decisions", "Pre-payment check decisions",
            ["decision"], registry=self.registry)
        self.neo4j_up = Gauge(
            "fraudgraph_api_neo4j_up", "1 when the last readiness probe reached Neo4j",
            registry=self.registry)
        self.unavailable = Counter(
            "fraudgraph_api_unavailable", "Requests answered 503 because Neo4j was down",
            registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if status == 503:
            self.unavailable.inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)

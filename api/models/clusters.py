"""GET /v1/clusters, /v1/clusters/{id}, /v1/schemes/emerging."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import GraphDrawing

_CLUSTER_EXAMPLE: dict[str, Any] = {
    "id": "cl-2026-03-14-0007", "size": 23, "banks": ["KASPI", "HALYK"], "victims": 41,
    "total_kzt": 18250000.0, "scheme": "phone_fraud", "first_seen_ts": 1773446400,
    "growth": 0.35, "predicted_growth": 0.6, "properties": {}}


class ClusterSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_CLUSTER_EXAMPLE]})

    id: str
    size: int | None = None
    banks: list[str] | None = None
    victims: int | None = None
    total_kzt: float | None = None
    scheme: str | None = None
    first_seen_ts: int | None = None
    growth: float | None = None
    predicted_growth: float | None = None
    properties: dict[str, Any] = Field(default_factory=dict,
                                       description="any further properties of the cluster")


class ClusterPage(BaseModel):
    items: list[ClusterSummary]
    total: int
    limit: int
    offset: int


class Member(BaseModel):
    id: str
    bank: str | None = None
    kind: str | None = None
    risk: float | None = None
    band: str | None = None


class Flow(BaseModel):
    src: str
    dst: str
    count: int
    total_kzt: float
    first_ts: int | None = None
    last_ts: int | None = None


class ClusterDetail(BaseModel):
    cluster: ClusterSummary
    members: list[Member]
    flows: list[Flow]
    graph: GraphDrawing
    truncated: bool = Field(description="true when members were cut at the limit")


class EmergingScheme(BaseModel):
    rank: int
    score: float = Field(description="predicted_growth when present, else growth")
    cluster: ClusterSummary


class EmergingSchemes(BaseModel):
    items: list[EmergingScheme]

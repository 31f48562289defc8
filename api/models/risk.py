"""GET /v1/entities/{kind}/{id}/risk."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import EXAMPLE_ACC, PathOut


class RiskReason(BaseModel):
    code: str = Field(examples=["BLACKLISTED_NEIGHBOUR"])
    text: str
    severity: str | None = None
    score: float | None = None
    evidence: Any = None
    path: PathOut | None = None


class SeedOut(BaseModel):
    kind: str
    id: str
    contribution: float


class RiskResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "account", "id": EXAMPLE_ACC, "bank": "KASPI",
        "band": "high", "risk": 0.71, "restricted": False,
        "risk_updated_at": "2026-03-14T03:00:00Z", "prop_score": 0.42, "gnn_score": 0.81,
        "reasons": [{"code": "INCIDENT_BENEFICIARY",
                     "text": "beneficiary of incident inc-42 (phone_fraud)",
                     "severity": "high", "score": None, "evidence": None, "path": None}],
        "paths": [], "top_seeds": [], "engine": "stored-properties"}]})

    kind: str
    id: str = Field(description="the entity's pseudonym")
    bank: str | None = Field(None, description="the account's bank (accounts only)")
    band: str | None = Field(None, description="low, medium, high or critical")
    risk: float | None = Field(None, description="0..1; withheld when restricted")
    restricted: bool = Field(
        False, description="true when the caller (a bank) sees only the band: the account "
                           "is not held at the caller's bank")
    risk_updated_at: str | None = None
    prop_score: float | None = None
    gnn_score: float | None = None
    reasons: list[RiskReason] = Field(default_factory=list)
    paths: list[PathOut] = Field(default_factory=list)
    top_seeds: list[SeedOut] = Field(default_factory=list)
    engine: str = Field(description="the risk engine that produced paths and seeds")

"""GET /v1/entities/{kind}/{id}/risk."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import EXAMPLE_ACC, PathOut
from fraudgraph.vocabulary import EntityKind


class RiskReason(BaseModel):
    code: str = Field(examples=["BLACKLISTED_NEIGHBOUR"])
    text: str
    severity: str | None = None
    score: float | None = None
    evidence: Any = None
    path: PathOut | None = None


class SeedOut(BaseModel):
    kind: str
    id: str | None = Field(description="null for another bank's customer")
    contribution: float
    at_other_bank: bool | None = None
    band: str | None = None


class LookupIn(BaseModel):
    """An entity named by its raw identifier (IBAN, IIN, phone, device id) or pseudonym:
    in the body, never in the address."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "person", "id": "900101300101"}]})

    kind: EntityKind
    id: str = Field(min_length=1, max_length=128)


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

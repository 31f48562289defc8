"""POST /v1/screen and POST /v1/reidentify."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fraudgraph.vocabulary import EntityKind


class ScreenIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "person", "id": "900101300101", "purpose": "onboarding"}]})

    kind: Literal["person", "account"]
    id: str = Field(min_length=1, max_length=64,
                    description="raw IIN / IBAN or its pseudonym (in the body only)")
    purpose: Literal["onboarding", "credit", "sim_issuance", "other"]


class ScreenReasonOut(BaseModel):
    code: str = Field(examples=["HOLDS_BLACKLISTED"])
    text: str
    effect: Literal["allow", "review", "block"]


class ScreenOut(BaseModel):
    decision: Literal["allow", "review", "block"]
    purpose: str
    reasons: list[ScreenReasonOut]
    restricted: bool = Field(description="true: another bank's customer (or nobody's yet): "
                                         "codes only, no evidence")


class ReidentifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: EntityKind
    pseudonym: str = Field(min_length=1, max_length=64)
    candidates: list[str] = Field(min_length=1, max_length=20,
                                  description="raw identifiers the AFC holds lawfully")
    purpose: Literal["law_enforcement_request", "victim_refund", "participant_dispute",
                     "court_order", "data_subject_request"]
    case_ref: str = Field(min_length=3, max_length=128, pattern=r"^[A-Za-z0-9._/-]+$",
                          description="the case, order or request this is for")


class ReidentifyOut(BaseModel):
    pseudonym: str
    matched: bool
    candidate_index: int | None = Field(description="which candidate it is, if any")
    purpose: str
    case_ref: str

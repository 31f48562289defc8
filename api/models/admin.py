"""/v1/keys and /v1/queries."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"role": "bank", "bank": "KASPI"}]})

    role: Literal["afc_analyst", "bank", "admin"]
    bank: str | None = Field(None, max_length=16)


class KeyOut(BaseModel):
    id: str
    role: str
    bank: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    revoked: bool = False
    revoked_at: str | None = None


class KeyCreated(KeyOut):
    key: str = Field(description="the secret; shown once, stored only as a hash")


class QueryParam(BaseModel):
    name: str
    type: str
    required: bool = False
    default: Any = None
    description: str | None = None
    range: list[float | None] | None = None
    items: list[int | None] | None = None
    choices: list[str] | None = None


class QueryInfo(BaseModel):
    name: str
    title: str | None = None
    description: str | None = None
    returns: str | None = Field(None, description="graph ({nodes, edges}) or rows")
    params: list[QueryParam] = Field(default_factory=list)


class QueryRunIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"params": {"id": "KZ521250000000001001", "hops": 2}}]})

    params: dict[str, Any] = Field(default_factory=dict, description=(
        "the query's parameters (see GET /v1/queries); raw identifiers are pseudonymised"))


class QueryResult(BaseModel):
    query: str
    returns: str
    params: dict[str, Any]
    rows: list[dict[str, Any]] | None = Field(None, description="row-shaped queries")
    nodes: list[Any] | None = Field(None, description="graph-shaped queries")
    edges: list[Any] | None = Field(None, description="graph-shaped queries")
    extra: dict[str, Any] = Field(default_factory=dict,
                                  description="further fields of a graph-shaped result")
    truncated: bool = False

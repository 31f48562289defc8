"""Shared shapes: entity references, paths, graph drawings."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

EXAMPLE_IBAN_PAYER = "KZ521250000000001001"
EXAMPLE_IBAN_PAYEE = "KZ277220000000002002"
EXAMPLE_IBAN_OTHER = "KZ836010000000003003"
EXAMPLE_ACC = "acc_3f9c0a1b2c3d4e5f60718293a4b5c6d7"


class EntityRef(BaseModel):
    kind: str = Field(description="account, person, phone, device, incident, list_entry, ...")
    id: str | None = Field(description="pseudonym (acc_/per_/pho_/dev_) or the node's own "
                                       "id; null for another bank's customer")
    at_other_bank: bool | None = Field(None, description="true: another bank's customer, "
                                                         "shown by its band only")
    band: str | None = Field(None, description="the band of another bank's customer")
    text: str | None = Field(None, examples=["an account at another bank"])


class PathOut(BaseModel):
    """A path through the graph: nodes[i] -rels[i]- nodes[i+1]."""

    nodes: list[EntityRef]
    rels: list[str]
    weight: float | None = Field(None, description="the path's share of the risk, if known")


class GraphNode(BaseModel):
    id: str
    kind: str
    bank: str | None = None
    risk: float | None = None
    props: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    source: str
    target: str
    type: str
    count: int | None = None
    amount_kzt: float | None = None


class GraphDrawing(BaseModel):
    """Nodes and edges ready for a force-directed drawing."""

    nodes: list[GraphNode] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready", "not_ready"]
    neo4j: Literal["ok", "unavailable"]
    model: dict[str, Any] = Field(description="the risk engine in use and whether it is loaded")


class ProblemField(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """application/problem+json (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemField] | None = Field(None, description="per-field errors (422)")

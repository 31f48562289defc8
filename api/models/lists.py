"""/v1/lists/{black|grey}."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from fraudgraph.vocabulary import EntityKind


class ListEntryIn(BaseModel):
    """A new list entry: the same rules as the `list_entries` feed. `entity_id` is the raw
    identifier (IBAN, IIN, phone, device id) or its pseudonym."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "entity_kind": "phone", "entity_id": "+7 705 000 00 02",
        "reason": "caller in 3 phone-fraud incidents", "source": "AFC",
        "since": "2026-03-14T12:00:00+05:00", "until": "2027-03-14T00:00:00+05:00"}]})

    entity_kind: EntityKind
    entity_id: str = Field(min_length=1, max_length=128)
    reason: str = Field(min_length=1, max_length=500)
    source: str = Field("AFC", min_length=1, max_length=128)
    since: str | None = Field(None, max_length=40, description="ISO-8601; default: now")
    until: str | None = Field(None, max_length=40, description="expiry; none = open-ended")
    entry_id: str | None = Field(None, min_length=1, max_length=128,
                                 description="default: generated")


class ListEntryOut(BaseModel):
    id: str
    list: str
    entity_kind: str | None = None
    entity: str | None = Field(None, description="the entity's pseudonym")
    reason: str | None = None
    source: str | None = None
    since_ts: int | None = None
    until_ts: int | None = None
    active: bool
    created_by: str | None = None
    created_at: str | None = None
    removed_at: str | None = None
    removed_by: str | None = None
    removed_reason: str | None = None


class ListPage(BaseModel):
    items: list[ListEntryOut]
    total: int
    limit: int
    offset: int


class ListEntryRemoved(BaseModel):
    id: str
    removed_at: str
    removed_by: str

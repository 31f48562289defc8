"""/v1/alerts, /v1/cases and /v1/monitoring."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fraudgraph.vocabulary import EntityKind

Verdict = Literal["confirmed_fraud", "not_fraud", "inconclusive"]
Scheme = Literal["phone_fraud", "fake_investment", "dropper", "gambling", "drugs", "mule",
                 "other"]
_ACTOR = r"^[A-Za-z0-9_.@-]{1,64}$"


class Alert(BaseModel):
    id: str
    entity_kind: str = Field(description="account, person, phone, device or cluster")
    entity_id: str = Field(description="the entity's pseudonym, or the cluster id")
    status: Literal["open", "in_case", "dismissed", "closed"]
    priority: float = Field(description="0-100, from risk and money at stake")
    banks: list[str] = Field(default_factory=list)
    risk: float | None = None
    band: str | None = None
    gnn_score: float | None = None
    heuristics: list[str] = Field(default_factory=list)
    clusters: list[str] = Field(default_factory=list)
    money_kzt: float | None = None
    scheme: str | None = None
    size: int | None = Field(None, description="clusters: member accounts")
    reasons: list[str] = Field(default_factory=list, description="why it is alerted now")
    raise_reasons: list[str] = Field(default_factory=list,
                                     description="why it was raised (first or again)")
    raised_ts: int
    seen_ts: int | None = None
    current: bool | None = Field(None, description="still flagged by the latest run")
    case_id: str | None = None
    verdict: str | None = None
    dismissed_ts: int | None = None
    dismissed_by: str | None = None
    dismiss_reason: str | None = None
    closed_ts: int | None = None


class AlertPage(BaseModel):
    items: list[Alert]
    total: int
    limit: int
    offset: int
    as_of: int | None = Field(None, description="the newest alert run (data time, epoch s)")


class HistoryEvent(BaseModel):
    id: str
    seq: int = Field(description="the event's place in its subject's history (1 = first)")
    at_ts: int
    by: str = Field(description="the API key id (or 'system') that made the change")
    action: str
    detail: dict[str, Any] = Field(default_factory=dict)


class AlertDetail(BaseModel):
    alert: Alert
    case: dict[str, Any] | None = None
    history: list[HistoryEvent]


class DismissIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class EntityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: EntityKind
    id: str = Field(min_length=1, max_length=128, description="raw identifier or pseudonym")


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Mule ring around KASPI accounts", "alerts": ["alr_0123456789abcdef01234567"],
        "entities": [{"kind": "account", "id": "KZ521250000000001001"}]}]})
    title: str = Field(min_length=1, max_length=200)
    alerts: list[str] = Field(default_factory=list, max_length=500)
    entities: list[EntityIn] = Field(default_factory=list, max_length=500)
    assignee: str | None = Field(None, pattern=_ACTOR)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee: str | None = Field(None, pattern=_ACTOR, description="null: unassign")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=4000,
                      description="identifiers in it are pseudonymised before storage")


class LinksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    alerts: list[str] = Field(default_factory=list, max_length=500)
    entities: list[EntityIn] = Field(default_factory=list, max_length=500)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "verdict": "confirmed_fraud", "scheme": "dropper",
        "reason": "holder admitted renting out the account"}]})
    verdict: Verdict
    scheme: Scheme | None = Field(None, description="required with confirmed_fraud")
    reason: str = Field(min_length=1, max_length=2000)
    decided_at: str | None = Field(
        None, max_length=40, description="ISO-8601 with zone: when the verdict was reached, "
        "if earlier than now (e.g. a court decision); the label counts from then")

    @model_validator(mode="after")
    def _scheme_with_confirmed_only(self) -> CloseIn:
        if self.verdict == "confirmed_fraud" and self.scheme is None:
            raise ValueError("a confirmed_fraud verdict needs a scheme")
        if self.verdict != "confirmed_fraud" and self.scheme is not None:
            raise ValueError("a scheme goes only with a confirmed_fraud verdict")
        return self


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)


class CaseSummary(BaseModel):
    id: str
    title: str
    status: Literal["open", "assigned", "closed"]
    assignee: str | None = None
    verdict: str | None = None
    scheme: str | None = None
    created_ts: int
    updated_ts: int
    closed_ts: int | None = None
    banks: list[str] = Field(default_factory=list)
    alerts: int = 0


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class CaseVerdict(BaseModel):
    account: str
    verdict: str
    scheme: str | None = None
    at_ts: int
    by: str
    withdrawn_ts: int | None = None


class CaseDetail(BaseModel):
    case: CaseSummary
    alerts: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    verdicts: list[CaseVerdict]
    history: list[HistoryEvent]


class MonitoringWeek(BaseModel):
    week: str = Field(description="ISO date of the week's Monday (UTC)")
    alerts_raised: int
    alerts_closed: int
    verdicts: dict[str, int]
    precision: float | None = Field(None, description="confirmed / (confirmed + not fraud "
                                                      "+ dismissed) of the week's closures")
    psi: float | None = Field(None, description="score drift against the training window")
    incidents: int
    incidents_alerted_before: int
    alerted_share: float | None = None
    median_lead_days: float | None = None


class Monitoring(BaseModel):
    since_ts: int
    weeks: list[MonitoringWeek]
    lead_time: dict[str, Any]
    model: str | None = None

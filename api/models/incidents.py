"""POST /v1/incidents and GET /v1/incidents/{id}/trace."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import EXAMPLE_IBAN_OTHER, EXAMPLE_IBAN_PAYEE, EXAMPLE_IBAN_PAYER


class IncidentIn(BaseModel):
    """A fraud report: the same fields, rules and pseudonymisation as the `incidents` feed
    (docs/feeds.md); victim and beneficiaries must be accounts fraudgraph knows."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "incident_id": "HALYK-2026-000123",
        "reported_at": "2026-03-14T12:00:00+05:00",
        "reporter": "HALYK",
        "scheme": "phone_fraud",
        "victim_iban": EXAMPLE_IBAN_PAYER,
        "amount_kzt": 450000,
        "beneficiary_ibans": [EXAMPLE_IBAN_PAYEE, EXAMPLE_IBAN_OTHER],
        "caller_phone": "+7 705 000 00 02",
        "occurred_at": "2026-03-14T09:30:00+05:00"}]})

    incident_id: str = Field(min_length=1, max_length=128)
    reported_at: str | None = Field(None, max_length=40,
                                    description="ISO-8601 with zone; default: now")
    reporter: str = Field(min_length=1, max_length=128,
                          description="bank code or organisation; a bank key may report "
                                      "only as its own bank")
    scheme: str = Field(description="phone_fraud, fake_investment, dropper, gambling, "
                                    "drugs or other", max_length=32)
    victim_iban: str = Field(min_length=1, max_length=64)
    amount_kzt: float = Field(gt=0, allow_inf_nan=False)
    beneficiary_ibans: list[str] = Field(min_length=1, max_length=100)
    caller_phone: str | None = Field(None, max_length=40)
    occurred_at: str | None = Field(None, max_length=40)


class IncidentCreated(BaseModel):
    id: str
    victim: str = Field(description="victim account pseudonym")
    beneficiaries: list[str] = Field(description="beneficiary account pseudonyms")
    caller: str | None = None
    reported_ts: int
    seeds_updated: int = Field(description="entities whose risk the engine updated")
    confirmed: bool = Field(True, description="false while beneficiaries at other banks "
                                              "await the AFC's confirmation")
    pending_confirmation: list[str] = Field(
        default_factory=list, description="beneficiaries at other banks seeded at a "
                                          "reduced weight until the AFC confirms")


class IncidentRetractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, description="why it is retracted")


class IncidentState(BaseModel):
    id: str
    confirmed: bool
    retracted: bool
    seeds: list[str] = Field(description="accounts whose seed was confirmed or withdrawn")


class TraceStart(BaseModel):
    account: str | None = Field(description="null: an account at another bank")
    kzt: float
    ts: int
    at_other_bank: bool | None = None
    source: str = Field(description="'transfer' (victim's transfers found) or 'reported' "
                                    "(incident amount split over the beneficiaries)")


class TraceEdge(BaseModel):
    hop: int
    tx_id: str | None = Field(description="null when an end is at another bank")
    src: str | None = Field(description="null: an account at another bank")
    dst: str | None = Field(description="null: an account at another bank")
    ts: int
    amount_kzt: float
    traced_kzt: float = Field(description="part of this transfer that is the victim's money")
    channel: str | None = None
    interbank: bool | None = None
    cash_out: bool
    exit: str | None = Field(None, description="the money left to a counterparty outside "
                                               "the participants, of this kind")
    at_other_bank: bool | None = Field(None, description="an end is another bank's customer: "
                                                         "amount and time only")


class TraceHop(BaseModel):
    hop: int
    traced_kzt: float
    edges: list[TraceEdge]


class Holder(BaseModel):
    account: str | None = Field(description="null: an account at another bank")
    at_other_bank: bool | None = None
    bank: str | None = None
    held_kzt: float
    since_ts: int
    hop: int
    frontier: bool = Field(description="reached at the hop limit: may have moved on")


class CashOut(BaseModel):
    account: str | None
    tx_id: str | None
    at_other_bank: bool | None = None
    ts: int
    kzt: float


class Exit(BaseModel):
    """Money that left to a counterparty outside the participants."""
    account: str | None = Field(description="the participant's account it left from")
    to: str | None = Field(description="the counterparty's pseudonym")
    to_kind: str = Field(description="card, wallet, foreign_iban or iban (a non-participant)")
    tx_id: str | None
    at_other_bank: bool | None = None
    ts: int
    kzt: float


class TraceTotals(BaseModel):
    reported_kzt: float | None
    start_kzt: float
    held_kzt: float
    cashed_out_kzt: float
    left_kzt: float = Field(0.0, description="left to counterparties outside the participants")


class TraceResponse(BaseModel):
    incident: str
    victim: str | None
    window_s: int
    max_hops: int
    start: list[TraceStart]
    hops: list[TraceHop]
    holders: list[Holder]
    cash_outs: list[CashOut]
    exits: list[Exit] = []
    totals: TraceTotals
    truncated: bool = Field(description="true when the edge limit cut the trace short")

"""POST /v1/check."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from api.models.common import EXAMPLE_IBAN_PAYEE, EXAMPLE_IBAN_PAYER
from graph_loader.fields import MAX_AMOUNT_KZT


class CheckRequest(BaseModel):
    """One payment about to be made. Identifiers may be raw (IBAN, phone, device id) or
    pseudonyms; raw ones are pseudonymised on entry and never stored or logged.

    There is no `channel` or `interbank` field (there were, accepted and never used):
    whether the payment is interbank follows from the two accounts' banks in the graph,
    which a caller cannot misstate, and no rule of the check depends on the channel, so
    a field that changed nothing would only mislead an integrator. Sending either is a
    422 (unknown field)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "payer_account": EXAMPLE_IBAN_PAYER,
        "payee_account": EXAMPLE_IBAN_PAYEE,
        "amount_kzt": 250000,
        "device_id": "a1b2c3d4-android-fp",
        "phone": "+7 701 123 45 67",
        "at": "2026-03-14T09:26:53+05:00",
    }]})

    payer_account: str = Field(min_length=1, max_length=64,
                               description="payer IBAN or account pseudonym (acc_...)")
    payee_account: str = Field(min_length=1, max_length=64,
                               description="payee IBAN or account pseudonym (acc_...)")
    amount_kzt: float = Field(gt=0, le=MAX_AMOUNT_KZT, allow_inf_nan=False)
    device_id: str | None = Field(None, min_length=1, max_length=128,
                                  description="the session's device fingerprint or dev_...")
    phone: str | None = Field(None, min_length=1, max_length=40,
                              description="the payer's phone in this session or pho_...")
    at: AwareDatetime | None = Field(None, description="payment time (default: now)")


class CheckReason(BaseModel):
    code: str = Field(examples=["SIM_CHANGE_RECENT"])
    text: str = Field(examples=["SIM change on the payer's phone 3.2 h ago"])
    effect: Literal["allow", "review", "block"] = Field(
        description="the least decision this reason alone leads to")


class CheckResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "decision": "review", "score": 0.5613,
        "reasons": [{"code": "SIM_CHANGE_RECENT",
                     "text": "SIM change on the payer's phone 3.2 h ago", "effect": "allow"},
                    {"code": "NEW_DEVICE", "text": "the payer has never used this device",
                     "effect": "allow"}],
        "payer": "acc_3f9c0a1b2c3d4e5f60718293a4b5c6d7",
        "payee": "acc_0a1b2c3d4e5f60718293a4b5c6d73f9c",
        "at": "2026-03-14T04:26:53Z"}]})

    decision: Literal["allow", "review", "block"]
    score: float = Field(ge=0, le=1)
    reasons: list[CheckReason]
    payer: str = Field(description="payer pseudonym")
    payee: str = Field(description="payee pseudonym")
    at: datetime

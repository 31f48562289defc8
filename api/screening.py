"""The screening rule (POST /v1/screen): may a service be given to this person or
account? Pure, so it is unit-tested without a server.

Rule, strongest first:

- **block**: an active black-list entry on the entity, on an account the person holds,
  or on the account's holder; or a risk (the entity's own or, for a person, that of an
  account they hold) in the critical band.
- **review**: an active grey-list entry on any of those; a risk in the high band; the
  entity (or an account the person holds) is a beneficiary of an incident in force.
- **allow** otherwise, also when the AFC holds nothing about the entity (`NO_RECORD`).

A caller who may not see the entity's evidence (api/visibility.py) gets the decision
and the reason codes only: no list entry or incident ids, no scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from api.explain import number
from fraudgraph.vocabulary import BAND_FLOOR

Decision = Literal["allow", "review", "block"]
_RANK = {"allow": 0, "review": 1, "block": 2}
_CRITICAL = BAND_FLOOR["critical"]
_HIGH = BAND_FLOOR["high"]
_ON = {"self": "", "account": "HOLDS_", "holder": "HOLDER_"}
_ON_TEXT = {"self": "the {kind}", "account": "an account the person holds",
            "holder": "the account's holder"}


@dataclass(frozen=True)
class ScreenReason:
    code: str
    text: str
    effect: Decision


def screen(kind: str, row: dict[str, Any] | None, *, evidence: bool
           ) -> tuple[Decision, list[ScreenReason]]:
    if row is None:
        return "allow", [ScreenReason("NO_RECORD", f"the AFC holds nothing about this {kind}",
                                      "allow")]
    reasons: list[ScreenReason] = []
    for hit in sorted(row.get("lists") or [], key=lambda h: (h["list"], h["on"], h["entry"])):
        lst = str(hit.get("list"))
        if lst not in ("black", "grey"):
            continue
        on = str(hit.get("on"))
        ref = f" (entry {hit['entry']})" if evidence else ""
        reasons.append(ScreenReason(
            f"{_ON.get(on, '')}{lst.upper()}LISTED",
            f"{_ON_TEXT.get(on, on).format(kind=kind)} is on the {lst} list{ref}",
            "block" if lst == "black" else "review"))
    risks = [("", number(row.get("risk")))] + [
        ("HOLDS_", number(r)) for r in row.get("account_risks") or []]
    worst = {p: max((r for q, r in risks if q == p and r is not None), default=None)
             for p in ("", "HOLDS_")}
    for prefix, risk in worst.items():
        if risk is None:
            continue
        whose = "its risk" if not prefix else "the risk of an account the person holds"
        shown = f" {risk:.2f}" if evidence else ""
        if risk >= _CRITICAL:
            reasons.append(ScreenReason(f"{prefix}RISK_CRITICAL",
                                        f"{whose}{shown} is in the critical band", "block"))
        elif risk >= _HIGH:
            reasons.append(ScreenReason(f"{prefix}RISK_HIGH",
                                        f"{whose}{shown} is in the high band", "review"))
    incidents = sorted(set(row.get("incidents") or []))
    if incidents:
        ref = f": {', '.join(incidents[:5])}" if evidence else ""
        reasons.append(ScreenReason(
            "INCIDENT_BENEFICIARY",
            f"beneficiary of {len(incidents)} incident(s) in force{ref}", "review"))
    decision: Decision = "allow"
    for r in reasons:
        if _RANK[r.effect] > _RANK[decision]:
            decision = r.effect
    return decision, reasons

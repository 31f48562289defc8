"""The pre-payment decision rule: pure, so it is unit-tested without a server.

Rule, in order of precedence:

1. **block** when an active black-list entry names the payee account, the payee's
   holder, the payer account or its holder, the session device or the session phone,
   or when the payee's stored risk reaches ``payee_block_risk`` (critical band).
2. **review** when an active grey-list entry names any of those, or the payee's stored
   risk reaches ``payee_review_risk``, or the payer's reaches ``payer_review_risk``
   (the payer may be a mule passing money on).
3. Otherwise the score decides. The score is a noisy-OR of independent evidence::

       score = 1 - (1 - payee_risk) * (1 - payer_risk / 2) * prod(1 - w_signal)

   over the live session signals that fired: a SIM change on the payer's phones within
   ``sim_change_window_s``, a device the payer never used (or first used within
   ``new_device_window_s``), an interbank inbound transfer to the payer within
   ``inbound_window_s`` of at least ``inbound_min_ratio`` x this amount (money arrives
   from another bank and leaves at once: the mule pattern), a first payment to this
   payee, a payee fraudgraph has never seen. score >= block_score -> block,
   >= review_score -> review, else allow. Rules 1-2 also lift the score to at least
   the matching threshold, so score and decision never disagree.

Missing facts (unknown payer, no device given) are "no evidence", never a penalty,
except an unknown payee, which is weak evidence on its own.

A bank asking about another bank's payee (api/routes/check.py) gets the rule applied to
the payee's band floor instead of its risk (api/visibility.band_floor): the hard rules
are band thresholds, so they decide the same; only where session signals combine near a
threshold can its decision be one step milder than the AFC's view of the same payment.
That is the price of a score that cannot be solved for the hidden risk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from api.config import CheckThresholds

Decision = Literal["allow", "review", "block"]
_RANK: dict[str, int] = {"allow": 0, "review": 1, "block": 2}


@dataclass(frozen=True)
class ListHit:
    list: str  # black | grey
    on: str  # payee | payee_holder | payer | payer_holder | device | phone
    entry: str  # the ListEntry id


@dataclass(frozen=True)
class CheckFacts:
    """Everything the one read query found; ts in epoch seconds."""

    payer_known: bool = False
    payee_known: bool = False
    payee_bank: str | None = None
    payer_risk: float | None = None
    payee_risk: float | None = None
    lists: tuple[ListHit, ...] = ()
    last_sim_change_ts: int | None = None
    device_given: bool = False
    device_first_used_ts: int | None = None  # None: the payer never used this device
    max_interbank_inbound: float = 0.0  # largest interbank transfer into the payer in window
    prior_payments: int = 0  # payer -> payee transfers before `at`


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    effect: Decision  # the least decision this reason alone leads to


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


_ON_TEXT = {
    "payee": "the payee account",
    "payee_holder": "the payee's holder",
    "payer": "the payer account",
    "payer_holder": "the payer's holder",
    "device": "the session device",
    "phone": "the session phone",
}


def _clamp(x: float | None) -> float:
    if x is None or x != x:  # None or NaN
        return 0.0
    return min(1.0, max(0.0, float(x)))


def decide(facts: CheckFacts, amount: float, at: int, t: CheckThresholds, *,
           payee_evidence: bool = True) -> Verdict:
    """The decision for one payment of `amount` KZT at epoch second `at`. With
    `payee_evidence` False (a bank asking about another bank's customer) the texts about
    the payee name no list entry and no score: the codes and the decision only."""
    reasons: list[Reason] = []
    for hit in sorted(facts.lists, key=lambda h: (h.list, h.on, h.entry)):
        effect: Decision = "block" if hit.list == "black" else "review"
        entry = f" (entry {hit.entry})" if payee_evidence or not hit.on.startswith("payee") \
            else ""
        reasons.append(Reason(
            f"{hit.on.upper()}_{hit.list.upper()}LISTED",
            f"{_ON_TEXT.get(hit.on, hit.on)} is on the {hit.list} list{entry}", effect))
    payee_risk = _clamp(facts.payee_risk)
    payer_risk = _clamp(facts.payer_risk)
    shown = f" {payee_risk:.2f}" if payee_evidence else ""
    if payee_risk >= t.payee_block_risk:
        reasons.append(Reason("PAYEE_RISK_CRITICAL",
                              f"payee risk{shown} in the critical band", "block"))
    elif payee_risk >= t.payee_review_risk:
        reasons.append(Reason("PAYEE_RISK_HIGH", f"payee risk{shown} in the high band",
                              "review"))
    if payer_risk >= t.payer_review_risk:
        reasons.append(Reason("PAYER_RISK_HIGH",
                              f"payer risk {payer_risk:.2f} >= {t.payer_review_risk}", "review"))

    weights: list[float] = []

    def signal(code: str, text: str, weight: float) -> None:
        weights.append(weight)
        reasons.append(Reason(code, text, "allow"))

    if facts.last_sim_change_ts is not None and 0 <= at - facts.last_sim_change_ts <= (
        t.sim_change_window_s
    ):
        hours = (at - facts.last_sim_change_ts) / 3600
        signal("SIM_CHANGE_RECENT", f"SIM change on the payer's phone {hours:.1f} h ago",
               t.weight_sim_change)
    if facts.device_given:
        if facts.device_first_used_ts is None:
            signal("NEW_DEVICE", "the payer has never used this device", t.weight_new_device)
        elif at - facts.device_first_used_ts <= t.new_device_window_s:
            hours = max(0.0, (at - facts.device_first_used_ts) / 3600)
            signal("NEW_DEVICE", f"the payer first used this device {hours:.1f} h ago",
                   t.weight_new_device)
    if facts.max_interbank_inbound > 0 and facts.max_interbank_inbound >= (
        t.inbound_min_ratio * amount
    ):
        signal("INBOUND_INTERBANK_BEFORE",
               f"{facts.max_interbank_inbound:.0f} KZT arrived from another bank within "
               f"{t.inbound_window_s / 3600:.1f} h before this payment",
               t.weight_inbound_interbank)
    if not facts.payee_known:
        signal("PAYEE_UNKNOWN", "the payee account is unknown to fraudgraph",
               t.weight_unknown_payee)
    elif facts.payer_known and facts.prior_payments == 0:
        signal("FIRST_PAYMENT_TO_PAYEE", "the payer has never paid this payee before",
               t.weight_first_payment)

    keep = 1.0 - payee_risk
    keep *= 1.0 - payer_risk / 2
    for w in weights:
        keep *= 1.0 - w
    score = 1.0 - keep

    decision: Decision = "allow"
    for r in reasons:
        if _RANK[r.effect] > _RANK[decision]:
            decision = r.effect
    if score >= t.block_score:
        decision = "block"
    elif score >= t.review_score and decision == "allow":
        decision = "review"
    # Hard rules lift the score so that it never contradicts the decision.
    if decision == "block":
        score = max(score, t.block_score)
    elif decision == "review":
        score = max(score, t.review_score)
    return Verdict(decision, round(score, 4), tuple(reasons))


def facts_from_row(row: dict[str, Any]) -> CheckFacts:
    """The record of cypher/api/check.cypher as CheckFacts."""
    sims = [int(x) for x in row.get("sim_changes") or [] if x is not None]
    firsts = [int(x) for x in row.get("device_first") or [] if x is not None]
    inbound = [float(x) for x in row.get("inbound") or [] if x is not None]
    return CheckFacts(
        payer_known=bool(row.get("payer_known")),
        payee_known=bool(row.get("payee_known")),
        payee_bank=row.get("payee_bank"),
        payer_risk=_number(row.get("payer_risk")),
        payee_risk=_number(row.get("payee_risk")),
        lists=tuple(ListHit(str(h.get("list")), str(h.get("on")), str(h.get("entry")))
                    for h in row.get("lists") or [] if h.get("list") in ("black", "grey")),
        last_sim_change_ts=max(sims) if sims else None,
        device_given=row.get("device_given", False),
        device_first_used_ts=min(firsts) if firsts else None,
        max_interbank_inbound=max(inbound) if inbound else 0.0,
        prior_payments=int(row.get("prior_payments") or 0),
    )


def _number(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if x == x else None

"""The case and alert state machines (pure).

A case is ``open`` (nobody owns it), ``assigned`` (an investigator works it) or
``closed`` (with a verdict). Closed cases can be reopened, with a reason; the verdict
they had is then withdrawn (and with it the labels it gave), and the history keeps both.

    create            -> open | assigned (with an assignee)
    assign(who)       open | assigned -> assigned
    unassign          assigned -> open
    note(text)        open | assigned -> same
    link(alerts, ...) open | assigned -> same
    close(verdict)    open | assigned -> closed
    reopen(reason)    closed -> assigned (if it had an assignee) | open

An alert is ``open``, ``in_case`` (linked to a case that is not closed), ``dismissed``
(by an investigator, with a reason, without a case) or ``closed`` (its case closed).
Dismissed and closed alerts hold the entity back from new alerts until its evidence
materially changes (`casework.alerts.decide`).

Every transition returns the event to append to the history: the actor and time are
the caller's; nothing is ever rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from casework.errors import TransitionError

CASE_STATES = ("open", "assigned", "closed")
VERDICTS = ("confirmed_fraud", "not_fraud", "inconclusive")
# The incident feed's schemes (graph_loader/feeds.py) plus the mule roles an
# investigator confirms without a victim's report.
SCHEMES = ("phone_fraud", "fake_investment", "dropper", "gambling", "drugs", "mule", "other")
MAX_NOTE = 4000
MAX_LINKS = 500


@dataclass(frozen=True)
class CaseState:
    status: str = "open"
    assignee: str | None = None
    verdict: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class Transition:
    state: CaseState
    action: str
    detail: dict[str, Any]


def _require(state: CaseState, allowed: tuple[str, ...], action: str) -> None:
    if state.status not in allowed:
        raise TransitionError(f"cannot {action} a case that is {state.status} "
                              f"(allowed when {' or '.join(allowed)})")


def create(assignee: str | None = None) -> Transition:
    st = CaseState("assigned", assignee) if assignee else CaseState("open")
    return Transition(st, "created", {"assignee": assignee})


def assign(state: CaseState, assignee: str) -> Transition:
    _require(state, ("open", "assigned"), "assign")
    if not assignee.strip():
        raise TransitionError("assignee must not be empty")
    if state.assignee == assignee:
        raise TransitionError(f"the case is already assigned to {assignee}")
    return Transition(replace(state, status="assigned", assignee=assignee), "assigned",
                      {"assignee": assignee, "previous": state.assignee})


def unassign(state: CaseState) -> Transition:
    _require(state, ("assigned",), "unassign")
    return Transition(replace(state, status="open", assignee=None), "unassigned",
                      {"previous": state.assignee})


def note(state: CaseState, text: str) -> Transition:
    _require(state, ("open", "assigned"), "add a note to")
    text = text.strip()
    if not text:
        raise TransitionError("a note must not be empty")
    if len(text) > MAX_NOTE:
        raise TransitionError(f"a note is at most {MAX_NOTE} characters")
    return Transition(state, "note", {"text": text})


def link(state: CaseState, alerts: list[str], entities: list[dict[str, str]]) -> Transition:
    _require(state, ("open", "assigned"), "link to")
    if not alerts and not entities:
        raise TransitionError("link needs at least one alert or entity")
    if len(alerts) + len(entities) > MAX_LINKS:
        raise TransitionError(f"at most {MAX_LINKS} links at once")
    return Transition(state, "linked", {"alerts": alerts, "entities": entities})


def close(state: CaseState, verdict: str, scheme: str | None, reason: str) -> Transition:
    _require(state, ("open", "assigned"), "close")
    if verdict not in VERDICTS:
        raise TransitionError(f"verdict must be one of {', '.join(VERDICTS)}")
    if verdict == "confirmed_fraud":
        if scheme not in SCHEMES:
            raise TransitionError("a confirmed-fraud verdict needs a scheme, one of "
                                  + ", ".join(SCHEMES))
    elif scheme is not None:
        raise TransitionError("a scheme goes only with a confirmed-fraud verdict")
    if not reason.strip():
        raise TransitionError("closing a case needs a reason")
    return Transition(replace(state, status="closed", verdict=verdict, scheme=scheme),
                      "closed", {"verdict": verdict, "scheme": scheme, "reason": reason.strip()})


def reopen(state: CaseState, reason: str) -> Transition:
    _require(state, ("closed",), "reopen")
    if not reason.strip():
        raise TransitionError("reopening a case needs a reason")
    status = "assigned" if state.assignee else "open"
    return Transition(CaseState(status, state.assignee), "reopened",
                      {"reason": reason.strip(), "withdrawn_verdict": state.verdict,
                       "withdrawn_scheme": state.scheme})


# Alerts ---------------------------------------------------------------------------

ALERT_STATES = ("open", "in_case", "dismissed", "closed")


def dismiss_alert(status: str, reason: str) -> str:
    """An open alert, dismissed without a case."""
    if status != "open":
        raise TransitionError(f"only an open alert can be dismissed (this one is {status})"
                              + ("; close its case instead" if status == "in_case" else ""))
    if not reason.strip():
        raise TransitionError("dismissing an alert needs a reason")
    return "dismissed"


def alert_into_case(status: str, case_of_alert: str | None, case_id: str) -> str:
    """An alert linked to a case. A dismissed alert may be taken up again by a case; an
    alert already in another open case may not be in two."""
    if status == "in_case" and case_of_alert not in (None, case_id):
        raise TransitionError(f"the alert is already in case {case_of_alert}")
    if status == "closed":
        raise TransitionError("the alert's case is closed; reopen that case instead")
    return "in_case"

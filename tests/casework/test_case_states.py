"""The case and alert state machines (pure)."""

from __future__ import annotations

import pytest

from casework import cases as C
from casework.errors import TransitionError


def test_full_life_of_a_case() -> None:
    t = C.create()
    assert t.state.status == "open" and t.action == "created"
    t = C.assign(t.state, "key_anna")
    assert t.state == C.CaseState("assigned", "key_anna")
    t = C.assign(t.state, "key_bek")
    assert t.detail == {"assignee": "key_bek", "previous": "key_anna"}
    assert C.note(t.state, "  called the bank  ").detail == {"text": "called the bank"}
    t = C.close(t.state, "confirmed_fraud", "dropper", "mule, admitted")
    assert t.state.status == "closed" and t.state.verdict == "confirmed_fraud"
    t = C.reopen(t.state, "new evidence")
    assert t.state == C.CaseState("assigned", "key_bek")
    assert t.detail["withdrawn_verdict"] == "confirmed_fraud"
    t = C.unassign(t.state)
    assert t.state == C.CaseState("open")
    assert C.create("key_x").state.status == "assigned"


@pytest.mark.parametrize(("verdict", "scheme", "reason", "msg"), [
    ("guilty", None, "x", "verdict must be one of"),
    ("confirmed_fraud", None, "x", "needs a scheme"),
    ("confirmed_fraud", "bank_robbery", "x", "needs a scheme"),
    ("not_fraud", "dropper", "x", "only with a confirmed"),
    ("inconclusive", None, "  ", "needs a reason"),
])
def test_close_needs_a_valid_verdict(verdict: str, scheme: str | None, reason: str,
                                     msg: str) -> None:
    with pytest.raises(TransitionError, match=msg):
        C.close(C.CaseState("assigned", "k"), verdict, scheme, reason)


def test_closed_case_is_read_only_until_reopened() -> None:
    closed = C.close(C.CaseState(), "not_fraud", None, "salary payments").state
    for change in (lambda: C.note(closed, "x"), lambda: C.assign(closed, "k"),
                   lambda: C.link(closed, ["alr_1"], []),
                   lambda: C.close(closed, "not_fraud", None, "again")):
        with pytest.raises(TransitionError, match="closed"):
            change()
    with pytest.raises(TransitionError):
        C.reopen(C.CaseState(), "not closed")
    with pytest.raises(TransitionError, match="reason"):
        C.reopen(closed, "")


def test_other_refusals() -> None:
    s = C.CaseState("assigned", "k")
    with pytest.raises(TransitionError, match="already assigned"):
        C.assign(s, "k")
    with pytest.raises(TransitionError):
        C.unassign(C.CaseState())
    with pytest.raises(TransitionError, match="empty"):
        C.note(s, " ")
    with pytest.raises(TransitionError, match="at most"):
        C.note(s, "x" * (C.MAX_NOTE + 1))
    with pytest.raises(TransitionError, match="at least one"):
        C.link(s, [], [])


def test_alert_transitions() -> None:
    assert C.dismiss_alert("open", "known payroll account") == "dismissed"
    with pytest.raises(TransitionError, match="close its case"):
        C.dismiss_alert("in_case", "x")
    with pytest.raises(TransitionError, match="reason"):
        C.dismiss_alert("open", "")
    assert C.alert_into_case("open", None, "case_1") == "in_case"
    assert C.alert_into_case("dismissed", None, "case_1") == "in_case"
    assert C.alert_into_case("in_case", "case_1", "case_1") == "in_case"
    with pytest.raises(TransitionError, match="already in case case_2"):
        C.alert_into_case("in_case", "case_2", "case_1")
    with pytest.raises(TransitionError, match="reopen"):
        C.alert_into_case("closed", "case_2", "case_1")

"""The pre-payment decision rule, without a server."""

from __future__ import annotations

from typing import Any

from api.config import CheckThresholds
from api.decision import CheckFacts, ListHit, decide, facts_from_row

T = CheckThresholds()
AT = 1_800_000_000


def known(**kw: Any) -> CheckFacts:
    """Facts about a payment between two accounts the graph knows."""
    return CheckFacts(payer_known=True, payee_known=True, **kw)


def codes(v: object) -> set[str]:
    return {r.code for r in v.reasons}  # type: ignore[attr-defined]


def test_known_payee_paid_before_with_no_signals_is_allowed() -> None:
    v = decide(known(prior_payments=3), 10_000, AT, T)
    assert v.decision == "allow"
    assert v.reasons == ()
    assert v.score == 0.0


def test_black_list_blocks_whatever_it_names() -> None:
    for on in ("payee", "payee_holder", "payer", "payer_holder", "device", "phone"):
        v = decide(known(prior_payments=1, lists=(ListHit("black", on, "e1"),)),
                   1000, AT, T)
        assert v.decision == "block", on
        assert f"{on.upper()}_BLACKLISTED" in codes(v)
        assert v.score >= T.block_score


def test_grey_list_means_review() -> None:
    v = decide(known(prior_payments=1,
                          lists=(ListHit("grey", "payee_holder", "e2"),)), 1000, AT, T)
    assert v.decision == "review"
    assert T.review_score <= v.score < T.block_score


def test_black_wins_over_grey() -> None:
    hits = (ListHit("grey", "payee", "g"), ListHit("black", "device", "b"))
    assert decide(known(lists=hits), 1000, AT, T).decision == "block"


def test_stored_payee_risk_bands() -> None:
    assert decide(known(payee_risk=0.9, prior_payments=1), 1, AT, T).decision \
        == "block"
    assert decide(known(payee_risk=0.65, prior_payments=1), 1, AT, T).decision \
        == "review"
    assert decide(known(payee_risk=0.2, prior_payments=1), 1, AT, T).decision \
        == "allow"


def test_risky_payer_is_reviewed() -> None:
    v = decide(known(payer_risk=0.7, prior_payments=1), 1, AT, T)
    assert v.decision == "review"
    assert "PAYER_RISK_HIGH" in codes(v)


def test_sim_change_counts_only_inside_the_window() -> None:
    inside = known(prior_payments=1, last_sim_change_ts=AT - 3600)
    outside = known(prior_payments=1,
                         last_sim_change_ts=AT - T.sim_change_window_s - 1)
    future = known(prior_payments=1, last_sim_change_ts=AT + 10)
    assert "SIM_CHANGE_RECENT" in codes(decide(inside, 1, AT, T))
    assert "SIM_CHANGE_RECENT" not in codes(decide(outside, 1, AT, T))
    assert "SIM_CHANGE_RECENT" not in codes(decide(future, 1, AT, T))


def test_new_device_never_used_or_recently_first_used() -> None:
    never = known(prior_payments=1, device_given=True)
    recent = known(prior_payments=1, device_given=True,
                        device_first_used_ts=AT - 600)
    old = known(prior_payments=1, device_given=True,
                     device_first_used_ts=AT - 30 * 86400)
    no_device = known(prior_payments=1)
    assert "NEW_DEVICE" in codes(decide(never, 1, AT, T))
    assert "NEW_DEVICE" in codes(decide(recent, 1, AT, T))
    assert "NEW_DEVICE" not in codes(decide(old, 1, AT, T))
    assert "NEW_DEVICE" not in codes(decide(no_device, 1, AT, T))


def test_inbound_interbank_must_be_large_relative_to_the_payment() -> None:
    f = known(prior_payments=1, max_interbank_inbound=50_000)
    assert "INBOUND_INTERBANK_BEFORE" in codes(decide(f, 100_000, AT, T))
    assert "INBOUND_INTERBANK_BEFORE" not in codes(decide(f, 100_001, AT, T))


def test_account_takeover_pattern_is_reviewed_but_one_signal_alone_is_not() -> None:
    sim_only = known(prior_payments=1, last_sim_change_ts=AT - 3600)
    takeover = known(last_sim_change_ts=AT - 3600, device_given=True)
    assert decide(sim_only, 1, AT, T).decision == "allow"
    v = decide(takeover, 1, AT, T)
    assert v.decision == "review"
    assert {"SIM_CHANGE_RECENT", "NEW_DEVICE", "FIRST_PAYMENT_TO_PAYEE"} <= codes(v)


def test_score_grows_with_every_signal() -> None:
    base = known(prior_payments=1)
    more = known(prior_payments=0)
    most = known(prior_payments=0, device_given=True)
    s = [decide(f, 1, AT, T).score for f in (base, more, most)]
    assert s[0] < s[1] < s[2]


def test_unknown_payee_is_weak_evidence_and_not_a_first_payment() -> None:
    v = decide(CheckFacts(payer_known=True, payee_known=False), 1, AT, T)
    assert codes(v) == {"PAYEE_UNKNOWN"}
    assert v.decision == "allow"


def test_thresholds_are_configurable() -> None:
    strict = CheckThresholds(review_score=0.05)
    f = known(prior_payments=0)
    assert decide(f, 1, AT, T).decision == "allow"
    assert decide(f, 1, AT, strict).decision == "review"


def test_garbage_risk_values_are_no_evidence() -> None:
    v = decide(known(prior_payments=1, payee_risk=float("nan")), 1, AT, T)
    assert v.decision == "allow"


def test_facts_from_row() -> None:
    f = facts_from_row({
        "payer_known": True, "payee_known": True, "payer_risk": None, "payee_risk": "0.5",
        "lists": [{"list": "black", "on": "payee", "entry": "x"},
                  {"list": "purple", "on": "payee", "entry": "y"}],
        "sim_changes": [10, 30, 20], "device_first": [], "device_given": True,
        "inbound": [5.0, 7.5], "prior_payments": 2})
    assert f.payee_risk == 0.5 and f.payer_risk is None
    assert f.lists == (ListHit("black", "payee", "x"),)
    assert f.last_sim_change_ts == 30
    assert f.device_given and f.device_first_used_ts is None
    assert f.max_interbank_inbound == 7.5
    assert f.prior_payments == 2
    empty = facts_from_row({})
    assert not empty.payee_known and empty.lists == () and empty.max_interbank_inbound == 0.0


def test_without_payee_evidence_texts_name_no_entry_and_no_score() -> None:
    f = known(payee_risk=0.9, lists=(ListHit("black", "payee", "le-secret"),
                                     ListHit("grey", "device", "le-dev")))
    full = decide(f, 1, AT, T)
    bare = decide(f, 1, AT, T, payee_evidence=False)
    assert (bare.decision, codes(bare)) == (full.decision, codes(full))
    text = " ".join(r.text for r in bare.reasons)
    assert "le-secret" not in text and "0.90" not in text
    assert "le-dev" in text  # the session's own device is the asking bank's business
    assert "le-secret" in " ".join(r.text for r in full.reasons)

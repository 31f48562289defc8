"""The alert merge, priority and dismissal rules (pure, no server)."""

from __future__ import annotations

import pytest

from casework.alerts import (
    DAY_S,
    Action,
    AlertConfig,
    Evidence,
    Prior,
    alert_id,
    decide,
    merge,
    money_factor,
    priority,
    reasons,
)
from casework.errors import CaseworkError

CFG = AlertConfig()
NOW = 1_780_000_000


def _acc(**kw: object) -> Evidence:
    e = merge([{"kind": "account", "id": "acc_1", **kw}])["account:acc_1"]
    return e


def test_merge_gives_one_evidence_per_entity_across_sources() -> None:
    rows = [
        {"kind": "account", "id": "acc_1", "risk": 0.7, "band": "high", "gnn_score": 0.4},
        {"kind": "account", "id": "acc_1", "heuristic": "fast_pass_through", "score": 0.8,
         "severity": "high"},
        {"kind": "account", "id": "acc_1", "heuristic": "fast_pass_through", "score": 0.5,
         "severity": "high"},
        {"kind": "account", "id": "acc_1", "heuristic": "many_banks", "score": 0.3},
        {"kind": "account", "id": "acc_1", "cluster": "cl-1", "band": "medium"},
        {"kind": "account", "id": "acc_2", "gnn_score": 0.9},
        {"kind": "person", "id": "acc_1", "risk": 0.9, "band": "critical"},
    ]
    ev = merge(rows)
    assert set(ev) == {"account:acc_1", "account:acc_2", "person:acc_1"}
    e = ev["account:acc_1"]
    assert e.band == "high"  # the stronger band is kept, not the last one
    assert e.heuristics == {"fast_pass_through": 0.8, "many_banks": 0.3}
    assert e.severe == {"fast_pass_through"}
    assert e.clusters == {"cl-1"}
    assert e.risk == 0.7 and e.gnn_score == 0.4


def test_qualifying_rules() -> None:
    assert reasons(_acc(band="medium", gnn_score=0.2), CFG) == []
    assert reasons(_acc(band="high"), CFG) == ["risk band high"]
    assert reasons(_acc(gnn_score=0.5), CFG) == ["model score 0.50"]
    # One medium heuristic is not enough; two distinct ones, or one severe one, are.
    assert reasons(_acc(heuristic="a", score=0.9, severity="medium"), CFG) == []
    two = merge([{"kind": "account", "id": "x", "heuristic": "a", "score": 0.2},
                 {"kind": "account", "id": "x", "heuristic": "b", "score": 0.2}])["account:x"]
    assert reasons(two, CFG) == ["heuristics: a, b"]
    assert reasons(_acc(heuristic="a", severity="high"), CFG) == ["high-severity heuristic: a"]
    assert reasons(_acc(cluster="cl-9"), CFG) == ["in cluster cl-9"]
    small = merge([{"kind": "cluster", "id": "cl-1", "size": 2}])["cluster:cl-1"]
    big = merge([{"kind": "cluster", "id": "cl-1", "size": 3}])["cluster:cl-1"]
    assert reasons(small, CFG) == [] and reasons(big, CFG) == ["cluster of 3 accounts"]


def test_priority_orders_by_risk_and_money() -> None:
    certain_small = _acc(risk=0.95, money_kzt=20_000)
    certain_big = _acc(risk=0.95, money_kzt=10_000_000)
    unsure_big = _acc(risk=0.3, money_kzt=10_000_000)
    assert priority(certain_big, CFG) > priority(certain_small, CFG)
    assert priority(certain_small, CFG) > priority(unsure_big, CFG)
    assert priority(certain_big, CFG) == pytest.approx(100 * (0.7 * 0.95 + 0.3))
    assert money_factor(0, 1e7) == 0.0 and money_factor(1e9, 1e7) == 1.0
    growing = merge([{"kind": "cluster", "id": "c", "size": 5, "risk": 0.5,
                      "growth_rate": 1.0}])["cluster:c"]
    static = merge([{"kind": "cluster", "id": "c", "size": 5, "risk": 0.5}])["cluster:c"]
    assert priority(growing, CFG) > priority(static, CFG)


def _held(e: Evidence, status: str = "dismissed", days_ago: float = 1) -> Prior:
    return Prior("alr_old", status, int(NOW - days_ago * DAY_S), e.fingerprint())


def test_open_alert_is_updated_never_duplicated() -> None:
    e = _acc(band="high")
    assert decide(e, None, NOW, CFG).action is Action.RAISE
    for status in ("open", "in_case"):
        assert decide(e, Prior("alr_1", status, None, {}), NOW, CFG).action is Action.UPDATE


@pytest.mark.parametrize("status", ["dismissed", "closed"])
def test_dismissal_holds_while_evidence_unchanged(status: str) -> None:
    seen = merge([{"kind": "account", "id": "a", "band": "high", "gnn_score": 0.6,
                   "heuristic": "h1", "score": 0.5, "money_kzt": 100_000}])["account:a"]
    prior = _held(seen, status)
    # Same evidence, or small moves (score +0.1, a little more money, band down): held.
    same = merge([{"kind": "account", "id": "a", "band": "high", "gnn_score": 0.7,
                   "heuristic": "h1", "score": 0.9, "money_kzt": 150_000}])["account:a"]
    d = decide(same, prior, NOW, CFG)
    assert d.action is Action.SUPPRESS and "alr_old" in d.why[0]
    lower = merge([{"kind": "account", "id": "a", "band": "medium",
                    "heuristic": "h1"}])["account:a"]
    assert decide(lower, prior, NOW, CFG).action is Action.SUPPRESS


@pytest.mark.parametrize(("change", "expect"), [
    ({"band": "critical"}, "band high -> critical"),
    ({"heuristic": "h2", "score": 0.1}, "new heuristics: h2"),
    ({"gnn_score": 0.8}, "model score"),
    ({"cluster": "cl-7"}, "joined cluster cl-7"),
    ({"money_kzt": 200_000}, "money at stake"),
])
def test_material_change_lifts_the_hold(change: dict[str, object], expect: str) -> None:
    base = {"kind": "account", "id": "a", "band": "high", "gnn_score": 0.6,
            "heuristic": "h1", "score": 0.5, "money_kzt": 100_000}
    prior = _held(merge([base])["account:a"])
    now = merge([base, {"kind": "account", "id": "a", **change}])["account:a"]
    d = decide(now, prior, NOW, CFG)
    assert d.action is Action.RAISE
    assert any(expect in w for w in d.why), d.why


def test_hold_expires() -> None:
    e = _acc(band="high")
    assert decide(e, _held(e, days_ago=89), NOW, CFG).action is Action.SUPPRESS
    d = decide(e, _held(e, days_ago=91), NOW, CFG)
    assert d.action is Action.RAISE and "90 days" in d.why[0]


def test_cluster_growth_is_material() -> None:
    c = merge([{"kind": "cluster", "id": "c", "size": 4, "money_kzt": 1e6}])["cluster:c"]
    prior = _held(c)
    five = merge([{"kind": "cluster", "id": "c", "size": 5, "money_kzt": 1e6}])["cluster:c"]
    six = merge([{"kind": "cluster", "id": "c", "size": 6, "money_kzt": 1e6}])["cluster:c"]
    assert decide(five, prior, NOW, CFG).action is Action.SUPPRESS
    assert decide(six, prior, NOW, CFG).action is Action.RAISE


def test_config_is_checked() -> None:
    with pytest.raises(CaseworkError, match="min_band"):
        AlertConfig(min_band="severe")


def test_a_reraise_after_a_hold_gets_its_own_id() -> None:
    # Runs on unchanged data share one as-of: the re-raise must not reuse the held id.
    first = alert_id("account", "a1", NOW)
    assert alert_id("account", "a1", NOW) == first  # a first alert's id is stable
    again = alert_id("account", "a1", NOW, after=first)
    assert again.startswith("alr_") and again != first
    assert alert_id("account", "a1", NOW, after=again) not in (first, again)

"""Identity-link heuristics: each fires on its pattern and stays quiet on a near miss."""

from __future__ import annotations

import pytest
from neo4j import Driver

from tests.cypher.conftest import AS_OF, DAY, HOUR, Builder, hits


def test_shared_device_fires_for_different_holders(graph: Driver, db: str) -> None:
    g = Builder()
    g.device("dev_x", ts=AS_OF - 20 * DAY)  # a new phone, soon running strangers' accounts
    g.account("acc_a", "per_1")
    g.account("acc_b", "per_2")
    g.login("acc_a", "dev_x", AS_OF - 2 * DAY)
    g.login("acc_b", "dev_x", AS_OF - DAY)
    g.commit(graph, db)
    found = hits(graph, db, "shared_device", absolute=True)
    assert set(found) == {"acc_a", "acc_b"}
    assert "dev_x" in found["acc_a"].evidence and "acc_b" in found["acc_a"].evidence
    assert 0 < found["acc_a"].score <= 1


def test_shared_device_quiet_for_one_holder_old_logins_or_family_tablet(graph: Driver,
                                                                          db: str) -> None:
    g = Builder()
    g.device("dev_x", ts=AS_OF - 20 * DAY)
    g.device("dev_family", ts=AS_OF - 700 * DAY)
    g.account("acc_a", "per_1")
    g.account("acc_c", "per_1", bank="HALYK")  # the same person's second account
    g.account("acc_b", "per_2")
    g.login("acc_a", "dev_x", AS_OF - 2 * DAY)
    g.login("acc_c", "dev_x", AS_OF - DAY)
    g.login("acc_b", "dev_x", AS_OF - 90 * DAY)  # before the 30-day window
    g.account("acc_mum", "per_mum")
    g.account("acc_dad", "per_dad")
    g.login("acc_mum", "dev_family", AS_OF - DAY)  # a household's years-old tablet
    g.login("acc_dad", "dev_family", AS_OF - DAY)
    g.commit(graph, db)
    assert hits(graph, db, "shared_device", absolute=True) == {}


def test_shared_phone_fires_on_quick_reregistration(graph: Driver, db: str) -> None:
    g = Builder()
    g.sim("per_1", "pho_1", AS_OF - 20 * DAY)
    g.sim("per_2", "pho_1", AS_OF - 15 * DAY)
    g.sim("per_3", "pho_2", AS_OF - 15 * DAY)
    g.commit(graph, db)
    found = hits(graph, db, "shared_phone", absolute=True)
    assert set(found) == {"per_1", "per_2"}
    assert found["per_2"].evidence[0] == "pho_1"


def test_shared_phone_quiet_on_recycled_number(graph: Driver, db: str) -> None:
    g = Builder()
    g.sim("per_1", "pho_1", AS_OF - 400 * DAY)
    g.sim("per_2", "pho_1", AS_OF - 20 * DAY)  # the operator reissued it a year later
    g.commit(graph, db)
    assert hits(graph, db, "shared_phone", absolute=True) == {}


def test_many_banks_fires_on_quick_openings(graph: Driver, db: str) -> None:
    g = Builder()
    for i, bank in enumerate(("KASPI", "HALYK", "FORTE")):
        g.account(f"acc_{i}", "per_1", bank=bank, opened_ts=AS_OF - (10 - 2 * i) * DAY)
    g.commit(graph, db)
    found = hits(graph, db, "many_banks", absolute=True)
    assert set(found) == {"per_1"}
    assert sorted(found["per_1"].evidence) == ["acc_0", "acc_1", "acc_2"]


def test_many_banks_quiet_on_slow_one_bank_or_busy_openings(graph: Driver, db: str) -> None:
    g = Builder()
    g.account("acc_friend", "per_friend")
    for i, bank in enumerate(("KASPI", "HALYK", "FORTE")):  # opened and used at once
        a = g.account(f"acc_b{i}", "per_busy", bank=bank, opened_ts=AS_OF - (10 - 2 * i) * DAY)
        g.transfer("acc_friend", a, 20_000, AS_OF - (10 - 2 * i) * DAY + HOUR)
    for i, (bank, age) in enumerate((("KASPI", 80), ("HALYK", 40), ("FORTE", 5))):
        g.account(f"acc_s{i}", "per_slow", bank=bank, opened_ts=AS_OF - age * DAY)
    for i in range(3):
        g.account(f"acc_o{i}", "per_one", bank="KASPI", opened_ts=AS_OF - (5 - i) * DAY)
    g.commit(graph, db)
    assert hits(graph, db, "many_banks", absolute=True) == {}


def _listed_world(g: Builder, *, until_ts: int | None, since_ts: int) -> None:
    g.account("acc_1", "per_x")
    g.account("acc_2", "per_y")
    g.account("acc_3", "per_z")
    g.transfer("acc_1", "acc_3", 50_000, AS_OF - 3 * DAY)
    g.list_entry("le_p", "person", "per_x", since_ts=since_ts, until_ts=until_ts)
    g.list_entry("le_a", "account", "acc_2", lst="grey", since_ts=since_ts, until_ts=until_ts)


def test_list_proximity_scores_by_hops_and_list(graph: Driver, db: str) -> None:
    g = Builder()
    _listed_world(g, until_ts=None, since_ts=AS_OF - 10 * DAY)
    g.account("acc_victim", "per_v")  # paid the listed account: upstream, not flagged
    g.transfer("acc_victim", "acc_2", 100_000, AS_OF - 2 * DAY)
    g.commit(graph, db)
    found = hits(graph, db, "list_proximity", absolute=True)
    assert set(found) == {"acc_1", "acc_2", "acc_3"}
    assert found["acc_1"].score == pytest.approx(0.5)  # black, 1 hop (HOLDS)
    assert found["acc_3"].score == pytest.approx(0.25)  # black, 2 hops (HOLDS, TRANSFERRED)
    assert found["acc_2"].score == pytest.approx(0.6)  # grey, the listed account itself
    assert found["acc_1"].evidence == ["le_p"]


def test_list_proximity_respects_expiry_and_start(graph: Driver, db: str) -> None:
    g = Builder()
    _listed_world(g, until_ts=AS_OF - DAY, since_ts=AS_OF - 10 * DAY)  # expired
    g.list_entry("le_future", "account", "acc_3", since_ts=AS_OF + DAY)  # not yet in force
    g.commit(graph, db)
    assert hits(graph, db, "list_proximity", absolute=True) == {}


def _session_world(g: Builder) -> None:
    g.account("acc_v", "per_v")
    g.account("acc_m", "per_m")


def test_sim_change_payment_flags_first_time_payee(graph: Driver, db: str) -> None:
    g = Builder()
    _session_world(g)
    g.sim("per_v", "pho_v", AS_OF - 400 * DAY)
    g.sim("per_v", "pho_v", AS_OF - 2 * DAY, kind="swap")
    tx = g.transfer("acc_v", "acc_m", 200_000, AS_OF - 2 * DAY + 3 * HOUR)
    g.commit(graph, db)
    found = hits(graph, db, "sim_change_payment", absolute=True)
    assert set(found) == {"acc_m"}
    assert found["acc_m"].evidence == ["acc_v", tx]


def test_sim_change_payment_quiet_for_known_payee_or_new_sim(graph: Driver, db: str) -> None:
    g = Builder()
    _session_world(g)
    g.account("acc_w", "per_w")
    g.sim("per_v", "pho_v", AS_OF - 2 * DAY, kind="swap")
    g.transfer("acc_v", "acc_m", 30_000, AS_OF - 20 * DAY)  # paid before the swap
    g.transfer("acc_v", "acc_m", 200_000, AS_OF - 2 * DAY + HOUR)
    g.sim("per_w", "pho_w", AS_OF - 2 * DAY, kind="new_sim")  # a first SIM is no change
    g.transfer("acc_w", "acc_m", 200_000, AS_OF - 2 * DAY + HOUR)
    g.commit(graph, db)
    assert hits(graph, db, "sim_change_payment", absolute=True) == {}


def test_new_device_payment_flags_payee(graph: Driver, db: str) -> None:
    g = Builder()
    _session_world(g)
    g.login("acc_v", "dev_old", AS_OF - 300 * DAY)
    g.login("acc_v", "dev_new", AS_OF - 2 * DAY)
    g.transfer("acc_v", "acc_m", 150_000, AS_OF - 2 * DAY + HOUR)
    g.commit(graph, db)
    found = hits(graph, db, "new_device_payment", absolute=True)
    assert set(found) == {"acc_m"}
    assert "dev_new" in found["acc_m"].evidence


def test_new_device_payment_quiet_on_first_device(graph: Driver, db: str) -> None:
    g = Builder()
    _session_world(g)
    g.login("acc_v", "dev_new", AS_OF - 2 * DAY)  # the account's only device
    g.transfer("acc_v", "acc_m", 150_000, AS_OF - 2 * DAY + HOUR)
    g.commit(graph, db)
    assert hits(graph, db, "new_device_payment", absolute=True) == {}


def _incident(g: Builder, iid: str, victim: str, ts: int, caller: str) -> None:
    g.account(victim, "per_" + victim)
    g.account("acc_ben", "per_ben")
    g.incident(iid, victim, ["acc_ben"], reported_ts=ts, caller=caller)


def test_caller_reuse_fires_on_two_incidents(graph: Driver, db: str) -> None:
    g = Builder()
    _incident(g, "inc_1", "acc_v1", AS_OF - 5 * DAY, "pho_c")
    _incident(g, "inc_2", "acc_v2", AS_OF - 2 * DAY, "pho_c")
    _incident(g, "inc_3", "acc_v3", AS_OF - 2 * DAY, "pho_d")
    g.commit(graph, db)
    found = hits(graph, db, "caller_reuse", absolute=True)
    assert set(found) == {"pho_c"}
    assert sorted(found["pho_c"].evidence) == ["inc_1", "inc_2"]


def test_caller_reuse_quiet_outside_window(graph: Driver, db: str) -> None:
    g = Builder()
    _incident(g, "inc_1", "acc_v1", AS_OF - 60 * DAY, "pho_c")
    _incident(g, "inc_2", "acc_v2", AS_OF - 2 * DAY, "pho_c")
    g.commit(graph, db)
    assert hits(graph, db, "caller_reuse", absolute=True) == {}


def test_short_call_spray_fires_without_callbacks(graph: Driver, db: str) -> None:
    g = Builder()
    for i in range(6):
        g.call("pho_x", f"pho_v{i}", AS_OF - DAY + i * 600, duration_s=90)
    g.commit(graph, db)
    found = hits(graph, db, "short_call_spray", absolute=True)
    assert set(found) == {"pho_x"}
    assert len(found["pho_x"].evidence) == 6


def test_short_call_spray_quiet_when_called_back_or_slow(graph: Driver, db: str) -> None:
    g = Builder()
    for i in range(6):
        g.call("pho_y", f"pho_f{i}", AS_OF - DAY + i * 600, duration_s=90)
    for i in range(3):  # friends call back: a real person's phone
        g.call(f"pho_f{i}", "pho_y", AS_OF - HOUR, duration_s=300)
    for i in range(6):  # a dozen-odd people over weeks is not a spray
        g.call("pho_z", f"pho_g{i}", AS_OF - 25 * DAY + i * 5 * DAY, duration_s=90)
    g.commit(graph, db)
    assert hits(graph, db, "short_call_spray", absolute=True) == {}

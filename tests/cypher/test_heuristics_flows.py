"""Money-flow heuristics: each fires on its pattern and stays quiet on a near miss."""

from __future__ import annotations

from neo4j import Driver

from tests.cypher.conftest import AS_OF, DAY, HOUR, Builder, hits

T = AS_OF - 5 * DAY


def _victims_pay(g: Builder, dst: str, n: int, *, dst_kind: str = "personal") -> None:
    g.account(dst, "per_" + dst, kind=dst_kind)
    for i in range(n):
        v = g.account(f"acc_v{dst}{i}", f"per_v{dst}{i}")
        g.incident(f"inc_{dst}{i}", v, [dst], reported_ts=T + DAY, occurred_ts=T + i * HOUR)
        g.transfer(v, dst, 100_000, T + i * HOUR + 600)


def test_victim_fan_in_fires_on_two_victims(graph: Driver, db: str) -> None:
    g = Builder()
    _victims_pay(g, "acc_m", 2)
    g.commit(graph, db)
    found = hits(graph, db, "victim_fan_in", absolute=True)
    assert set(found) == {"acc_m"}
    assert {"inc_acc_m0", "inc_acc_m1"} <= set(found["acc_m"].evidence)


def test_victim_fan_in_quiet_for_merchant_or_single_victim(graph: Driver, db: str) -> None:
    g = Builder()
    _victims_pay(g, "acc_shop", 3, dst_kind="merchant")
    _victims_pay(g, "acc_one", 1)
    g.commit(graph, db)
    assert hits(graph, db, "victim_fan_in", absolute=True) == {}


def _pass_through(g: Builder, delay_s: int) -> None:
    g.account("acc_m", "per_m")
    for i, amount in enumerate((200_000, 150_000)):
        src = g.account(f"acc_s{i}", f"per_s{i}")
        dst = g.account(f"acc_d{i}", f"per_d{i}")
        g.transfer(src, "acc_m", amount, T + i * DAY)
        g.transfer("acc_m", dst, amount * 0.97, T + i * DAY + delay_s)


def test_fast_pass_through_fires_within_the_hour(graph: Driver, db: str) -> None:
    g = Builder()
    _pass_through(g, 20 * 60)
    g.commit(graph, db)
    found = hits(graph, db, "fast_pass_through", absolute=True)
    assert set(found) == {"acc_m"}
    assert len(found["acc_m"].evidence) == 4  # two inflows, two outflows


def test_fast_pass_through_quiet_when_money_stays(graph: Driver, db: str) -> None:
    g = Builder()
    _pass_through(g, 5 * HOUR)
    g.commit(graph, db)
    assert hits(graph, db, "fast_pass_through", absolute=True) == {}


def test_money_leaving_to_cards_counts_as_leaving(graph: Driver, db: str) -> None:
    # The pass-through's outflows go to cards (no holder, no bank): money that leaves the
    # participants is still money that left the account.
    g = Builder()
    g.account("acc_m", "per_m")
    for i, amount in enumerate((200_000, 150_000)):
        src = g.account(f"acc_s{i}", f"per_s{i}")
        g.transfer(src, "acc_m", amount, T + i * DAY)
        g.transfer("acc_m", g.external(f"acc_card{i}"), amount * 0.97, T + i * DAY + 1200)
    g.commit(graph, db)
    found = hits(graph, db, "fast_pass_through", absolute=True)
    assert set(found) == {"acc_m"}
    assert len(found["acc_m"].evidence) == 4


def test_a_card_collecting_from_victims_is_flagged(graph: Driver, db: str) -> None:
    # The mule's card outside the participants is where the victims paid: it is flagged
    # like any account (it has no holder to compare with the victims').
    g = Builder()
    card = g.external("acc_card")
    for i in range(2):
        v = g.account(f"acc_v{i}", f"per_v{i}")
        g.incident(f"inc_{i}", v, [card], reported_ts=T + DAY, occurred_ts=T + i * HOUR)
        g.transfer(v, card, 100_000, T + i * HOUR + 600)
    g.commit(graph, db)
    assert set(hits(graph, db, "victim_fan_in", absolute=True)) == {"acc_card"}


def _chain(g: Builder, last_hop_delay: int) -> None:
    for a in ("acc_v", "acc_a", "acc_b", "acc_c"):
        g.account(a, "per_" + a)
    g.incident("inc_1", "acc_v", ["acc_a"], reported_ts=T + DAY, occurred_ts=T)
    g.transfer("acc_v", "acc_a", 300_000, T + 300)
    g.transfer("acc_a", "acc_b", 290_000, T + 1800)
    g.transfer("acc_b", "acc_c", 280_000, T + 1800 + last_hop_delay)


def test_layering_chain_flags_the_three_hops(graph: Driver, db: str) -> None:
    g = Builder()
    _chain(g, HOUR)
    g.commit(graph, db)
    found = hits(graph, db, "layering_chain", absolute=True)
    assert set(found) == {"acc_a", "acc_b", "acc_c"}
    assert found["acc_a"].score > found["acc_c"].score
    assert "inc_1" in found["acc_b"].evidence


def test_layering_chain_quiet_when_the_chain_breaks(graph: Driver, db: str) -> None:
    g = Builder()
    _chain(g, 2 * DAY)
    g.commit(graph, db)
    assert hits(graph, db, "layering_chain", absolute=True) == {}


def test_transfer_cycle_fires_on_ordered_cycle(graph: Driver, db: str) -> None:
    g = Builder()
    for a in ("acc_a", "acc_b", "acc_c"):
        g.account(a, "per_" + a)
    g.transfer("acc_a", "acc_b", 500_000, T)
    g.transfer("acc_b", "acc_c", 480_000, T + HOUR)
    g.transfer("acc_c", "acc_a", 470_000, T + 2 * HOUR)
    g.commit(graph, db)
    found = hits(graph, db, "transfer_cycle", absolute=True)
    assert set(found) == {"acc_a", "acc_b", "acc_c"}


def test_transfer_cycle_quiet_out_of_order_or_small_return(graph: Driver, db: str) -> None:
    g = Builder()
    for a in ("acc_a", "acc_b", "acc_c", "acc_d", "acc_e", "acc_f"):
        g.account(a, "per_" + a)
    # No rotation of these times is increasing: money cannot have gone round.
    g.transfer("acc_a", "acc_b", 500_000, T)
    g.transfer("acc_b", "acc_c", 480_000, T + 2 * HOUR)
    g.transfer("acc_c", "acc_a", 470_000, T + HOUR)
    # In order, but only a sliver comes back.
    g.transfer("acc_d", "acc_e", 500_000, T)
    g.transfer("acc_e", "acc_f", 480_000, T + HOUR)
    g.transfer("acc_f", "acc_d", 20_000, T + 2 * HOUR)
    g.commit(graph, db)
    assert hits(graph, db, "transfer_cycle", absolute=True) == {}


def _burst(g: Builder, acc: str, opened_ts: int, step_s: int, start: int = T) -> None:
    g.account(acc, "per_" + acc, opened_ts=opened_ts)
    for i in range(7):
        cp = g.account(f"{acc}_cp{i % 5}", f"per_{acc}_cp{i % 5}")
        src, dst = (cp, acc) if i % 2 == 0 else (acc, cp)
        g.transfer(src, dst, 80_000, start + i * step_s)


def test_new_account_burst_fires_after_dormancy(graph: Driver, db: str) -> None:
    g = Builder()
    _burst(g, "acc_new", T - 20 * DAY, 30 * 60)  # opened, silent for 20 days, then busy
    g.commit(graph, db)
    found = hits(graph, db, "new_account_burst", absolute=True)
    assert set(found) == {"acc_new"}
    assert len(found["acc_new"].evidence) == 7


def test_new_account_burst_quiet_for_old_busy_or_slow_accounts(graph: Driver,
                                                              db: str) -> None:
    g = Builder()
    _burst(g, "acc_old", T - 700 * DAY, 30 * 60)
    _burst(g, "acc_busy", T - 20 * DAY, 30 * 60, start=T - 19 * DAY)  # busy from day one
    _burst(g, "acc_slow", T - 20 * DAY, DAY)
    g.commit(graph, db)
    assert hits(graph, db, "new_account_burst", absolute=True) == {}


def _funnel(g: Builder, refund_share: float) -> None:
    g.account("acc_f", "per_f")
    for i in range(12):
        p = g.account(f"acc_p{i}", f"per_p{i}")
        g.transfer(p, "acc_f", 50_000, T + i * HOUR)
        if i < 3:
            g.transfer("acc_f", p, 50_000 * refund_share, T + DAY + i * HOUR)


def test_investment_funnel_fires_on_small_payouts(graph: Driver, db: str) -> None:
    g = Builder()
    _funnel(g, 0.1)
    g.commit(graph, db)
    found = hits(graph, db, "investment_funnel", absolute=True)
    assert set(found) == {"acc_f"}
    assert sorted(found["acc_f"].evidence) == ["acc_p0", "acc_p1", "acc_p2"]


def test_investment_funnel_quiet_on_full_refunds(graph: Driver, db: str) -> None:
    g = Builder()
    _funnel(g, 1.0)  # a shop refunding orders in full, not a trust-building payout
    g.commit(graph, db)
    assert hits(graph, db, "investment_funnel", absolute=True) == {}


def _collector(g: Builder, acc: str, *, sweeps: int, own: bool = False,
               gap_s: int = HOUR) -> None:
    """12 payments of 5,000 from different people, swept on in `sweeps` equal parts, each
    right after its share of the payments arrived."""
    g.account(acc, "per_" + acc)
    for i in range(12):
        p = g.account(f"{acc}_p{i}", f"per_{acc}_p{i}")
        g.transfer(p, acc, 5_000, T + i * gap_s)
    for j in range(sweeps):
        d = g.account(f"{acc}_d{j}", "per_" + acc if own else f"per_{acc}_d{j}", bank="HALYK")
        last_fed = (j + 1) * 12 // sweeps - 1
        g.transfer(acc, d, 60_000 * 0.95 / sweeps, T + last_fed * gap_s + 600)


def test_collector_account_fires_on_swept_small_payments(graph: Driver, db: str) -> None:
    g = Builder()
    _collector(g, "acc_c", sweeps=2)
    g.commit(graph, db)
    found = hits(graph, db, "collector_account", absolute=True)
    assert set(found) == {"acc_c"}
    assert {"acc_c_d0", "acc_c_d1"} <= set(found["acc_c"].evidence)


def test_collector_account_quiet_without_quick_consolidation(graph: Driver, db: str) -> None:
    g = Builder()
    _collector(g, "acc_c", sweeps=12)  # paid out piecemeal to many: not a sweep
    _collector(g, "acc_s", sweeps=2, own=True)  # a seller moving takings to his own savings
    _collector(g, "acc_r", sweeps=2, gap_s=40 * HOUR)  # takings pile up, rent paid later
    g.commit(graph, db)
    assert hits(graph, db, "collector_account", absolute=True) == {}

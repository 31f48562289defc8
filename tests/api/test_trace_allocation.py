"""The money-trace allocation rule, without a server."""

from __future__ import annotations

from api.trace import Edge, allocate, start_lots


def test_money_is_conserved_split_and_cashed_out() -> None:
    start = [("A", 150.0, 0)]
    edges = [Edge("t2", "A", "B", 20, 100.0), Edge("t3", "A", "C", 25, 30.0),
             Edge("t4", "B", "C", 40, 60.0), Edge("t5", "C", "X", 60, 50.0, channel="atm")]
    r = allocate(start, edges, max_hops=5)
    held = {h["account"]: h["held_kzt"] for h in r.holders}
    assert held == {"A": 20.0, "B": 40.0, "C": 40.0}
    assert r.cashed_out_kzt == 50.0
    assert r.start_kzt == r.held_kzt + r.cashed_out_kzt == 150.0
    # t5 carried money of two hops: 30 from hop 1 (via t3) and 20 from hop 2 (via t4).
    t5 = {e["hop"]: e["traced_kzt"] for hop in r.hops.values() for e in hop if e["tx_id"] == "t5"}
    assert t5 == {2: 30.0, 3: 20.0}
    assert all(e["cash_out"] for e in r.hops[3])
    assert "X" not in held  # cash left the system


def test_a_transfer_before_the_money_arrived_carries_none() -> None:
    r = allocate([("A", 100.0, 50)], [Edge("early", "A", "B", 49, 100.0)], max_hops=5)
    assert r.hops == {}
    assert [h["account"] for h in r.holders] == ["A"]


def test_no_more_leaves_than_arrived() -> None:
    r = allocate([("A", 10.0, 0)], [Edge("big", "A", "B", 1, 1_000_000.0)], max_hops=5)
    assert r.hops[1][0]["traced_kzt"] == 10.0
    assert r.holders == [{"account": "B", "held_kzt": 10.0, "since_ts": 1, "hop": 1,
                          "frontier": False}]


def test_hop_limit_stops_the_money_and_marks_the_frontier() -> None:
    edges = [Edge(f"t{i}", f"N{i}", f"N{i + 1}", i + 1, 10.0) for i in range(5)]
    r = allocate([("N0", 10.0, 0)], edges, max_hops=2)
    assert sorted(r.hops) == [1, 2]
    assert r.holders == [{"account": "N2", "held_kzt": 10.0, "since_ts": 2, "hop": 2,
                          "frontier": True}]


def test_start_lots_prefer_the_victims_transfers() -> None:
    inc = {"amount": 300.0, "occurred_ts": 100, "reported_ts": 200}
    paid = [{"dst": "B", "amount": 120.0, "ts": 110}]
    assert start_lots(inc, ["B", "C"], paid, 1000) == [("B", 120.0, 110, "transfer")]
    assert start_lots(inc, ["C", "B"], [], 1000) == [("B", 150.0, 100, "reported"),
                                                      ("C", 150.0, 100, "reported")]
    no_time = {"amount": 10.0, "reported_ts": 5000}
    assert start_lots(no_time, ["B"], [], 1000) == [("B", 10.0, 4000, "reported")]
    assert start_lots(inc, [], [], 1000) == []

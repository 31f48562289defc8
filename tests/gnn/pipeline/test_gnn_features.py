"""Per-account features: values on a hand-built world, and no leakage from the future."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from gnn.features import account_features
from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.timed import TimedSnapshot, as_of
from tests.gnn.pipeline.conftest import add_transfer, day, toy_snapshot


def col(snap: TimedSnapshot, cutoff: float, name: str) -> np.ndarray:
    return account_features(snap, cutoff).column(name)


def test_flow_features_of_a_mule_chain() -> None:
    snap = toy_snapshot()
    t = day(20)
    assert col(snap, t, "pass_through")[1] == pytest.approx(99_000 / 105_000)
    assert col(snap, t, "pass_through")[3] == 0.0
    # a1 and a2 forwarded 30 minutes after money came in
    dwell = col(snap, t, "dwell_log_hours")
    assert dwell[1] == pytest.approx(np.log1p(0.5))
    assert dwell[2] == pytest.approx(np.log1p(0.5))
    assert col(snap, t, "forwarded_24h_share")[1] == 1.0
    assert col(snap, t, "atm_out_share")[2] == 1.0  # a2 -> a3 went through channel 'atm'
    assert col(snap, t, "in_counterparties")[1] == pytest.approx(np.log1p(2))
    recent = account_features(snap, t, window_days=14).column("in_count_recent")
    assert recent[1] == pytest.approx(np.log1p(1))  # the payment of day 2 is older


def test_identity_features() -> None:
    snap = toy_snapshot()
    t = day(20)
    assert col(snap, t, "holder_accounts")[1] == pytest.approx(np.log1p(2))
    assert col(snap, t, "holder_banks")[0] == pytest.approx(np.log1p(1))  # a0, a4: KASPI
    assert col(snap, t, "holder_banks")[1] == pytest.approx(np.log1p(2))  # HALYK, FORTE
    assert col(snap, t, "device_shared_max")[1] == pytest.approx(np.log1p(1))
    assert col(snap, t, "device_shared_max")[0] == 0.0
    # a1 and a2 share d0 but have the same holder: no *other* holder on the device
    assert col(snap, t, "device_other_holders")[1] == 0.0


def test_label_features_never_contain_the_own_label() -> None:
    snap = toy_snapshot()
    t = day(20)  # known: a1 (incident, day 12), a3 (black list, day 15)
    table = account_features(snap, t)
    assert table.column("known_payees")[0] == pytest.approx(np.log1p(1))  # a0 paid a1
    assert table.column("known_payers")[2] == pytest.approx(np.log1p(1))  # a1 paid a2
    assert table.column("known_payers")[1] == 0.0  # a1's own label is not its payers'
    assert table.column("holder_other_known_accounts")[2] == 1.0  # sibling a1 is known
    assert table.column("holder_other_known_accounts")[1] == 0.0  # not itself
    assert table.column("known_on_my_devices")[2] == pytest.approx(np.log1p(1))
    assert table.column("known_on_my_devices")[1] == 0.0
    # a0 (a victim) paid a1, but that incident is a1's own label
    assert table.column("victims_paid_me")[1] == 0.0
    assert table.column("grey_listed")[2] == 1.0
    assert table.column("grey_listed")[3] == 0.0  # black is the label, not a feature


def test_a_victim_of_someone_elses_incident_counts() -> None:
    snap = toy_snapshot()
    add_transfer(snap, 0, 5, 50_000.0, day(11))  # the victim a0 also paid a5
    assert col(snap, day(20), "victims_paid_me")[5] == pytest.approx(np.log1p(1))
    assert col(snap, day(12), "victims_paid_me")[5] == 0.0  # incident reported on day 12


def _with_future(snap: TimedSnapshot, after: float) -> TimedSnapshot:
    fut = copy.deepcopy(snap)
    add_transfer(fut, 5, 3, 1_000_000.0, after)
    add_transfer(fut, 3, 5, 900_000.0, after + 60)
    used = ("Account", "USED", "Device")
    es = fut.edges[used]
    fut.edges[used] = EdgeSet(np.append(es.src, 5), np.append(es.dst, 0))
    fut.edge_attrs[used] = {"since": np.append(fut.edge_attrs[used]["since"], after)}
    lists = ("ListEntry", "LISTS", "Account")
    es = fut.edges[lists]
    fut.edges[lists] = EdgeSet(np.append(es.src, 0), np.append(es.dst, 4))
    fut.edge_attrs[lists] = {k: np.append(v, after if k == "since" else np.nan)
                             for k, v in fut.edge_attrs[lists].items()}
    for rel, acc in (("BENEFICIARY", 5), ("VICTIM", 4)):
        et = ("Incident", rel, "Account")
        es = fut.edges[et]
        assert es.at is not None
        fut.edges[et] = EdgeSet(np.append(es.src, 0), np.append(es.dst, acc),
                                at=np.append(es.at, after))
    return fut


@pytest.mark.parametrize("cutoff_day", [1.0, 10.5, 12.0, 20.0])
def test_edges_after_the_cutoff_change_nothing(cutoff_day: float) -> None:
    snap = toy_snapshot()
    t = day(cutoff_day)
    before = account_features(snap, t)
    after = account_features(_with_future(snap, t), t)
    assert before.names == after.names
    np.testing.assert_array_equal(before.matrix(), after.matrix())


def test_the_same_edges_before_the_cutoff_do_change_features() -> None:
    # Guards the test above: the injected edges are visible when they are in the past.
    snap = toy_snapshot()
    t = day(20)
    before = account_features(snap, t)
    after = account_features(_with_future(snap, day(19)), t)
    assert not np.array_equal(before.matrix(), after.matrix())


def test_as_of_keeps_node_positions_and_drops_later_edges() -> None:
    snap = toy_snapshot()
    cut = as_of(snap, day(10) + 1)
    assert cut.nodes == snap.nodes
    tr = cut.edges[("Account", "TRANSFERRED", "Account")]
    assert tr.at is not None
    assert sorted(tr.at.tolist()) == [day(2), day(10)]
    assert len(cut.edges[("Incident", "BENEFICIARY", "Account")]) == 0
    assert len(cut.edges[("ListEntry", "LISTS", "Account")]) == 1  # grey since day 5

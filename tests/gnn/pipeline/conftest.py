"""Hand-built snapshots for the GNN pipeline's pure tests."""

from __future__ import annotations

import numpy as np

from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.timed import TimedSnapshot

DAY = 86_400.0
T0 = 1_780_000_000.0  # an arbitrary origin; tests speak in days after it


def day(d: float) -> float:
    return T0 + d * DAY


def toy_snapshot() -> TimedSnapshot:
    """Six accounts (a0..a5), three persons, two devices, one incident, two list entries.

    a0 -> a1 -> a2 -> a3 is a mule chain (each forwards within the hour on day 10);
    a4 pays a1 on day 2 (ordinary); a5 is idle. p0 holds a0 and a4, p1 holds a1 and a2,
    p2 holds a3 and a5. a1 and a2 share device d0. Incident i0 (victim a0, beneficiary
    a1) is reported on day 12. List entry e0 black-lists a3 from day 15; e1 grey-lists
    a2 from day 5.
    """
    snap = TimedSnapshot(data_hash="toy")
    snap.nodes = {
        "Account": [f"a{i}" for i in range(6)],
        "Person": ["p0", "p1", "p2"],
        "Device": ["d0", "d1"],
        "Phone": ["f0"],
        "Incident": ["i0"],
        "ListEntry": ["e0", "e1"],
    }
    snap.node_attrs = {
        "Account": {"opened_at": np.array([day(0)] * 6),
                    "bank": np.array(["KASPI", "HALYK", "FORTE", "KASPI", "KASPI", "BCC"]),
                    "kind": np.array(["personal"] * 6)},
        "Incident": {"reported_at": np.array([day(12)]), "scheme": np.array(["phone_fraud"]),
                     "amount": np.array([100_000.0]), "occurred_at": np.array([day(10)])},
        "ListEntry": {"since": np.array([day(15), day(5)]), "until": np.array([np.nan, np.nan]),
                      "list": np.array(["black", "grey"]),
                      "entity_kind": np.array(["account", "account"])},
    }
    tr = ("Account", "TRANSFERRED", "Account")
    snap.edges[tr] = EdgeSet(
        np.array([0, 1, 2, 4]), np.array([1, 2, 3, 1]),
        amount=np.array([100_000.0, 99_000.0, 98_000.0, 5_000.0]),
        at=np.array([day(10), day(10) + 1800, day(10) + 3600, day(2)]))
    snap.edge_attrs[tr] = {"channel": np.array([0.0, 0.0, 2.0, 0.0]),
                           "interbank": np.array([1.0, 0.0, 1.0, 0.0])}
    holds = ("Person", "HOLDS", "Account")
    snap.edges[holds] = EdgeSet(np.array([0, 1, 1, 2, 0, 2]), np.array([0, 1, 2, 3, 4, 5]))
    snap.edge_attrs[holds] = {"since": np.array([day(0)] * 6)}
    used = ("Account", "USED", "Device")
    snap.edges[used] = EdgeSet(np.array([1, 2, 0]), np.array([0, 0, 1]))
    snap.edge_attrs[used] = {"since": np.array([day(1), day(3), day(1)])}
    ben = ("Incident", "BENEFICIARY", "Account")
    vic = ("Incident", "VICTIM", "Account")
    snap.edges[ben] = EdgeSet(np.array([0]), np.array([1]), at=np.array([day(12)]))
    snap.edges[vic] = EdgeSet(np.array([0]), np.array([0]), at=np.array([day(12)]))
    lists = ("ListEntry", "LISTS", "Account")
    snap.edges[lists] = EdgeSet(np.array([0, 1]), np.array([3, 2]))
    snap.edge_attrs[lists] = {"since": np.array([day(15), day(5)]),
                              "until": np.array([np.nan, np.nan])}
    return snap


def add_transfer(snap: TimedSnapshot, src: int, dst: int, amount: float, at: float) -> None:
    et = ("Account", "TRANSFERRED", "Account")
    es = snap.edges[et]
    assert es.amount is not None and es.at is not None
    snap.edges[et] = EdgeSet(np.append(es.src, src), np.append(es.dst, dst),
                             np.append(es.amount, amount), np.append(es.at, at))
    snap.edge_attrs[et] = {k: np.append(v, 0.0) for k, v in snap.edge_attrs[et].items()}


# The loader's tiny hand-written feed directory, shared with the export tests.
from tests.graph_loader.conftest import tiny_feeds  # noqa: E402, F401

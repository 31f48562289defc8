"""Seeds read from the snapshot: beneficiaries and list entries in force."""

from __future__ import annotations

import numpy as np

from gnn.propagation import PropagationConfig, seeds_from_snapshot

T0 = 1_760_000_000.0


def test_beneficiaries_and_lists_with_weights_and_validity(make_snapshot):
    snap = make_snapshot(
        {
            "Incident": ["i_old", "i_future"],
            "ListEntry": ["black", "grey", "expired", "not_yet", "unlabelled"],
            "Account": ["b1", "b2", "late", "victim"],
            "Phone": ["ph"],
            "Device": ["dev", "dev2", "dev3"],
        },
        [
            ("Incident", "i_old", "BENEFICIARY", "Account", "b1", None, None),
            ("Incident", "i_old", "BENEFICIARY", "Account", "b2", None, None),
            ("Incident", "i_old", "VICTIM", "Account", "victim", None, None),
            ("Incident", "i_future", "BENEFICIARY", "Account", "late", None, None),
            ("ListEntry", "black", "LISTS", "Phone", "ph", None, None),
            ("ListEntry", "grey", "LISTS", "Device", "dev", None, None),
            ("ListEntry", "expired", "LISTS", "Device", "dev2", None, None),
            ("ListEntry", "not_yet", "LISTS", "Device", "dev3", None, None),
            ("ListEntry", "unlabelled", "LISTS", "Account", "b1", None, None),
        ],
    )
    snap.node_attrs = {
        "Incident": {"reported_at": np.array([T0 - 10, T0 + 10])},
        "ListEntry": {
            "list": np.array(["black", "grey", "black", "black", ""]),
            "since": np.array([T0 - 5, T0 - 5, T0 - 100, T0 + 1, np.nan]),
            "until": np.array([np.nan, T0 + 100, T0 - 1, np.nan, np.nan]),
        },
    }
    seeds = seeds_from_snapshot(snap, PropagationConfig(), as_of=T0)
    got = sorted((s.node_type, s.node_id, s.weight) for s in seeds)
    assert got == [
        ("Account", "b1", 0.3),  # unknown list kind counts as grey
        ("Account", "b1", 1.0),
        ("Account", "b2", 1.0),
        ("Device", "dev", 0.3),
        ("Phone", "ph", 1.0),
    ]
    everything = seeds_from_snapshot(snap, PropagationConfig(), as_of=None)
    assert {s.node_id for s in everything} == {"b1", "b2", "late", "ph", "dev", "dev2", "dev3"}

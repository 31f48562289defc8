"""Verdicts as labels (gnn/snapshot/labels.py): confirmed fraud is a positive from its decision
time, "not fraud" overrules the reports and confirmations before it."""

from __future__ import annotations

import numpy as np

from gnn.snapshot.graph import EdgeSet
from gnn.snapshot.labels import first_known, label_sources
from gnn.snapshot.timed import TimedSnapshot

DAY = 86_400.0


def _snap(verdicts: list[tuple[int, str, float]], reports: list[tuple[int, float]]
          ) -> TimedSnapshot:
    """Four accounts; verdicts (account, verdict, decided) and reports (account, at)."""
    i = np.arange(len(verdicts), dtype=np.int64)
    r = np.arange(len(reports), dtype=np.int64)
    return TimedSnapshot(
        nodes={"Account": ["a0", "a1", "a2", "a3"], "Verdict": [f"v{k}" for k in i],
               "Incident": [f"i{k}" for k in r]},
        edges={
            ("Verdict", "VERDICT_ON", "Account"): EdgeSet(
                i, np.array([v[0] for v in verdicts], dtype=np.int64)),
            ("Incident", "BENEFICIARY", "Account"): EdgeSet(
                r, np.array([x[0] for x in reports], dtype=np.int64), None,
                np.array([x[1] for x in reports], dtype=np.float64)),
        },
        node_attrs={"Verdict": {"verdict": np.array([v[1] for v in verdicts], dtype=np.str_)},
                    "Account": {}, "Incident": {}},
        edge_attrs={("Verdict", "VERDICT_ON", "Account"): {
            "decided": np.array([v[2] for v in verdicts], dtype=np.float64)}},
    )


def test_verdicts_become_labels_from_their_date() -> None:
    snap = _snap(
        verdicts=[(0, "confirmed_fraud", 10 * DAY),  # a0: positive from day 10
                  (1, "not_fraud", 20 * DAY),  # a1: its day-5 report was false
                  (2, "inconclusive", 3 * DAY),  # a2: no label from the verdict
                  (3, "not_fraud", 4 * DAY), (3, "confirmed_fraud", 8 * DAY)],  # a3: later
        reports=[(1, 5 * DAY), (2, 6 * DAY), (0, 30 * DAY)],
    )
    t = first_known(snap)
    assert t[0] == 10 * DAY  # the verdict came before the report
    assert np.isinf(t[1])  # not fraud: a negative for training
    assert t[2] == 6 * DAY  # inconclusive changes nothing
    assert t[3] == 8 * DAY  # a confirmation after a "not fraud" counts
    src = label_sources(snap)
    assert src["verdict_confirmed_fraud"] == 2 and src["verdict_not_fraud"] == 2
    assert src["incident_beneficiaries_overruled"] == 1 and src["positives"] == 3


def test_a_report_after_a_not_fraud_verdict_counts_again() -> None:
    snap = _snap(verdicts=[(1, "not_fraud", 5 * DAY)], reports=[(1, 2 * DAY), (1, 9 * DAY)])
    assert first_known(snap)[1] == 9 * DAY


def test_no_verdicts_changes_nothing() -> None:
    snap = _snap(verdicts=[], reports=[(0, DAY)])
    del snap.edges[("Verdict", "VERDICT_ON", "Account")]
    t = first_known(snap)
    assert t[0] == DAY and np.isinf(t[1:]).all()
    assert label_sources(snap)["verdict_confirmed_fraud"] == 0

"""Precision/recall against truth: pure functions, no server."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cypher.evaluate import build_truth, evaluate
from fraudgraph.pseudonym import Pseudonymiser
from generator.truth_reader import TruthRow, read_scheme_spans, read_truth

AS_OF = 1_000_000


def row(kind: str, eid: str, fraud: bool, *, active: int | None = 0, known: int | None = None,
        scheme: str = "s1", stype: str = "dropper") -> TruthRow:
    return TruthRow(kind, eid, fraud, "mule" if fraud else "", scheme if fraud else "",
                    stype if fraud else "", active, known)


def _truth() -> list[TruthRow]:
    return [row("account", "a1", True, known=AS_OF - 10), row("account", "a2", True),
            row("account", "a3", True, active=AS_OF + 5),  # not active yet: not recallable
            row("account", "a4", True, scheme="s_old", stype="gambling"),
            row("account", "n1", False), row("account", "n2", False),
            row("person", "p1", True), row("person", "q1", False)]


def test_precision_recall_and_unknown_recall() -> None:
    t = build_truth(_truth(), as_of=AS_OF)
    sig = [{"heuristic": "h", "entity_kind": "account", "entity_id": x}
           for x in ("a1", "a2", "n1", "zz")]
    m = evaluate(sig, {"h": "account", "quiet": "account"}, t)["heuristics"]
    # zz is unknown to the truth; it still counts as a hit and as a false positive.
    assert m["h"]["hits"] == 4 and m["h"]["true_positives"] == 2
    assert m["h"]["precision"] == pytest.approx(0.5)
    assert m["h"]["recall"] == pytest.approx(2 / 3)  # a1, a2 of a1, a2, a4
    assert m["h"]["recall_unknown"] == pytest.approx(1 / 2)  # a2 of a2, a4 (a1 was known)
    assert m["h"]["new_finds"] == 1
    assert m["quiet"]["hits"] == 0 and m["quiet"]["recall"] == 0.0
    assert m["quiet"]["precision"] is None and not m["quiet"]["low_precision"]


def test_low_precision_is_flagged_not_hidden() -> None:
    t = build_truth(_truth(), as_of=AS_OF)
    sig = [{"heuristic": "noisy", "entity_kind": "account", "entity_id": x}
           for x in ("a1", "n1", "n2", "x1")]
    out = evaluate(sig, {"noisy": "account"}, t)
    assert out["heuristics"]["noisy"]["precision"] == pytest.approx(0.25)
    assert out["heuristics"]["noisy"]["low_precision"] is True
    assert out["low_precision"] == ["noisy"]


def test_scheme_spans_limit_recall_to_the_window() -> None:
    spans = {"s1": (AS_OF - 100, AS_OF), "s_old": (0, AS_OF - 5000)}
    t = build_truth(_truth(), as_of=AS_OF, window_s=1000, spans=spans)
    assert ("account", "a4") not in t.recallable and ("account", "a2") in t.recallable
    assert ("account", "a4") in t.fraud


def test_union_counts_accounts_directly_and_via_holders() -> None:
    t = build_truth(_truth(), as_of=AS_OF)
    sig = [{"heuristic": "h1", "entity_kind": "account", "entity_id": "a1"},
           {"heuristic": "h2", "entity_kind": "person", "entity_id": "p1"},
           {"heuristic": "h2", "entity_kind": "person", "entity_id": "q1"}]
    out = evaluate(sig, {"h1": "account", "h2": "person"}, t,
                   held_accounts={"p1": ["a2", "a4"], "q1": ["n1"]})
    u = out["union"]
    assert u["fraud_accounts"] == 3 and u["flagged_fraud_accounts"] == 1
    assert u["recall_accounts"] == pytest.approx(1 / 3)
    assert u["recall_accounts_via_holders"] == pytest.approx(1.0)
    assert u["by_scheme_type"]["gambling"] == {"fraud_accounts": 1, "flagged": 1, "recall": 1.0}
    assert out["heuristics"]["h2"]["precision"] == pytest.approx(0.5)


def test_read_truth_pseudonymises_raw_ids(tmp_path: Path) -> None:
    d = tmp_path / "truth"
    d.mkdir()
    with open(d / "entities.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["entity_kind", "entity_id", "is_fraud", "role", "scheme_id", "scheme_type",
                    "active_from", "known_at"])
        w.writerow(["account", "KZ86125KZT5004100100", "true", "mule", "s1", "dropper",
                    "2026-05-02T00:00:00+05:00", ""])
        w.writerow(["person", "900101300101", "0", "", "", "", "", ""])
    with open(d / "schemes.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["scheme_id", "scheme_type", "start_at", "end_at", "accounts", "victims",
                    "total_kzt"])
        w.writerow(["s1", "dropper", "2026-05-02T00:00:00Z", "2026-06-02T00:00:00Z", 3, 4, 10])
    p = Pseudonymiser("k")
    rows = read_truth(d, p)
    assert rows[0].id == p("account", "KZ86125KZT5004100100") and rows[0].is_fraud
    assert rows[0].active_from == 1777662000 and rows[0].known_at is None
    assert rows[1].id == p("person", "900101300101") and not rows[1].is_fraud
    assert read_scheme_spans(d) == {"s1": (1777680000, 1780358400)}

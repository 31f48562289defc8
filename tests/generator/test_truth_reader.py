"""The one reader of the truth format: the heuristics' evaluation (cypher) and the models'
(gnn) read the same rows and agree on what is fraud."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cypher.evaluate import build_truth
from fraudgraph.pseudonym import Pseudonymiser, is_pseudonym
from generator.errors import TruthError
from generator.truth_reader import epoch, read_scheme_spans, read_truth
from gnn.errors import GnnError
from gnn.snapshot.truth import load_account_truth

ENTITIES = """entity_kind,entity_id,is_fraud,role,scheme_id,scheme_type,active_from,known_at
account,KZ811060000000000376,1,member,s1,fan_in,2026-05-02T00:00:00Z,2026-05-09T00:00:00+00:00
account,KZ211000000000004650,yes,member,s1,fan_in,,
account,KZ400000000000000001,0,,,,,
account,KZ400000000000000002,True,mule,s2,cycle,1777680000,
"""


def _truth(tmp_path: Path) -> Path:
    d = tmp_path / "truth"
    d.mkdir()
    (d / "entities.csv").write_text(ENTITIES, encoding="utf-8")
    (d / "schemes.csv").write_text("scheme_id,start_at,end_at\ns1,2026-05-02T00:00:00Z,\n",
                                   encoding="utf-8")
    return d


def test_both_consumers_agree_on_what_is_fraud(tmp_path: Path) -> None:
    d = _truth(tmp_path)
    pseudo = Pseudonymiser("k")
    rows = read_truth(d, pseudo)
    assert [r.is_fraud for r in rows] == [True, True, False, True]
    assert rows[0].known_at == epoch("2026-05-09T00:00:00Z") and rows[1].known_at is None
    assert rows[3].active_from == 1777680000
    ids = [r.id for r in rows]
    assert all(is_pseudonym(i) for i in ids)  # raw ids never leave the reader

    cypher_fraud = {i for k, i in build_truth(rows, as_of=2_000_000_000).fraud}
    gnn = load_account_truth(d, pseudo, ids)
    assert {i for i, f in zip(ids, gnn.is_fraud.tolist(), strict=True) if f} == cypher_fraud
    assert gnn.matched == 4
    assert np.isnan(gnn.known_at[1]) and gnn.known_at[0] == rows[0].known_at
    assert read_scheme_spans(d) == {"s1": (epoch("2026-05-02T00:00:00Z"),) * 2}


def test_missing_or_zone_less_truth_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TruthError, match="no truth entities file"):
        read_truth(tmp_path, Pseudonymiser("k"))
    with pytest.raises(GnnError, match="no truth entities file"):
        load_account_truth(tmp_path, Pseudonymiser("k"), [])
    with pytest.raises(TruthError, match="no zone"):
        epoch("2026-05-02T00:00:00")

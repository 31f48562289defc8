"""Neo4j -> snapshot on the loader's tiny world: ids, edges, times, cache."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
from neo4j import Driver

from fraudgraph.pseudonym import Pseudonymiser
from gnn.snapshot.cache import cache_path
from gnn.snapshot.export import export_snapshot
from gnn.snapshot.labels import first_known
from gnn.snapshot.timed import CHANNELS, SIM_KINDS
from graph_loader.load import load_directory
from tests.graph_loader.conftest import IBANS, PHONES


def ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _loaded(graph: Driver, db: str, feeds: Path, pseudo: Pseudonymiser, tmp: Path) -> None:
    load_directory(graph, db, feeds, pseudo, rejects_path=tmp / "rejects.csv", progress=False)


def test_export_round_trip(graph: Driver, db: str, tiny_feeds: Path, pseudo: Pseudonymiser,
                           tmp_path: Path) -> None:
    _loaded(graph, db, tiny_feeds, pseudo, tmp_path)
    snap = export_snapshot(graph, db, progress=False)
    acc = snap.index("Account")
    a = [acc[pseudo("account", iban)] for iban in IBANS[:5]]
    assert len(snap.nodes["Account"]) == 5 and len(snap.nodes["Person"]) == 3
    assert "Bank" not in snap.nodes

    tr = snap.edges[("Account", "TRANSFERRED", "Account")]
    assert tr.amount is not None and tr.at is not None
    pairs = {(int(s), int(d)): (float(m), float(t)) for s, d, m, t in
             zip(tr.src, tr.dst, tr.amount, tr.at, strict=True)}
    assert pairs[(a[0], a[1])] == (150000.0, ts("2026-03-04T10:00:00+05:00"))
    assert pairs[(a[3], a[4])] == (5000.5, ts("2026-03-05T10:00:00+05:00"))
    attrs = snap.edge_attrs[("Account", "TRANSFERRED", "Account")]
    qr = [i for i, (s, d) in enumerate(zip(tr.src, tr.dst, strict=True)) if (s, d) == (a[3], a[4])]
    assert attrs["channel"][qr[0]] == CHANNELS.index("qr")
    assert sorted(attrs["interbank"].tolist()) == [0.0, 0.0, 1.0, 1.0]

    used = snap.edges[("Account", "USED", "Device")]
    dev = snap.index("Device")[pseudo("device", "dev-a")]
    assert sorted(used.src.tolist()) == sorted([a[1], a[2]]) and set(used.dst.tolist()) == {dev}
    holds = snap.edges[("Person", "HOLDS", "Account")]
    assert len(holds) == 5
    opened = snap.node_attrs["Account"]["opened_at"]
    assert opened[a[3]] == ts("2026-03-02T10:00:00+05:00")
    sims = snap.edges[("Person", "SIM_EVENT", "Phone")]
    assert sorted(snap.edge_attrs[("Person", "SIM_EVENT", "Phone")]["kind"].tolist()) == [
        SIM_KINDS.index("new_sim"), SIM_KINDS.index("swap")]
    assert len(sims) == 2
    caller = snap.edges[("Incident", "CALLER", "Phone")]
    assert snap.nodes["Phone"][int(caller.dst[0])] == pseudo("phone", PHONES[1])

    first = first_known(snap)
    assert first[a[1]] == ts("2026-03-05T12:00:00+05:00")  # beneficiary of inc-1
    assert first[a[2]] == ts("2026-03-01T10:00:00+05:00")  # black list
    assert np.isinf(first[a[0]]) and np.isinf(first[a[3]])
    lists = snap.node_attrs["ListEntry"]
    assert sorted(lists["list"].tolist()) == ["black", "grey"]
    grey = lists["list"].tolist().index("grey")
    assert lists["until"][grey] == ts("2027-03-01T00:00:00+05:00")


def test_export_cache_hits_until_the_data_changes(graph: Driver, db: str, tiny_feeds: Path,
                                                  pseudo: Pseudonymiser, tmp_path: Path) -> None:
    _loaded(graph, db, tiny_feeds, pseudo, tmp_path)
    cache = tmp_path / "cache"
    first = export_snapshot(graph, db, cache_dir=cache, progress=False)
    assert cache_path(cache, first.data_hash).exists()
    again = export_snapshot(graph, db, cache_dir=cache, progress=False)
    assert again.data_hash == first.data_hash
    assert again.nodes == first.nodes
    for et, es in first.edges.items():
        np.testing.assert_array_equal(again.edges[et].src, es.src)
        np.testing.assert_array_equal(again.edges[et].dst, es.dst)
    np.testing.assert_array_equal(again.node_attrs["Account"]["opened_at"],
                                  first.node_attrs["Account"]["opened_at"])
    # Writing scores does not invalidate the cache; new data does.
    graph.execute_query("MATCH (a:Account) SET a.gnn_score = 0.5", database_=db)
    assert export_snapshot(graph, db, cache_dir=cache, progress=False).data_hash == first.data_hash
    graph.execute_query(
        "MATCH (a:Account {id: $a}), (b:Account {id: $b}) "
        "CREATE (a)-[:TRANSFERRED {tx_id: 'late', amount: 1.0, ts: 1772690000}]->(b)",
        a=pseudo("account", IBANS[4]), b=pseudo("account", IBANS[0]), database_=db)
    changed = export_snapshot(graph, db, cache_dir=cache, progress=False)
    assert changed.data_hash != first.data_hash
    assert len(changed.edges[("Account", "TRANSFERRED", "Account")]) == 5

"""The notebooks' guards on a real graph (graph_loader/notebook.py): an empty graph may be
replaced, one that took real feeds may not; the world marker says which world it holds."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from cypher import statement
from fraudgraph.pseudonym import Pseudonymiser
from graph_loader.load import load_directory
from graph_loader.notebook import MARKER_KEY, graph_holds, may_replace


def test_guards_follow_what_the_graph_holds(graph: Driver, db: str, tiny_feeds: Path,
                                            pseudo: Pseudonymiser) -> None:
    assert may_replace(graph, db) == (True, "")
    assert not graph_holds(graph, db, "w:1", {"feeds": {}})

    # No truth/manifest.json: these are feeds, not a generated world.
    load_directory(graph, db, tiny_feeds, pseudo, rejects_path=tiny_feeds / "rejects.csv",
                   progress=False)
    allowed, why = may_replace(graph, db)
    assert not allowed and "not a generated world" in why

    graph.execute_query(statement("notebook/world_mark"), key=MARKER_KEY, world="w:1",
                        database_=db)
    recs, _, _ = graph.execute_query(
        "MATCH (a:Account) WITH count(a) AS accounts "
        "MATCH ()-[t:TRANSFERRED]->() RETURN accounts, count(t) AS transfers", database_=db)
    feeds = {"accounts": recs[0]["accounts"], "transfers": recs[0]["transfers"]}
    assert graph_holds(graph, db, "w:1", {"feeds": feeds})
    assert not graph_holds(graph, db, "w:2", {"feeds": feeds})

"""The flow typologies: each fires on its ring and not on a near miss, and holds when the
data's scale changes (amounts x 1,000, hours to days): thresholds come from the data."""

from __future__ import annotations

import pytest
from neo4j import Driver

from cypher.graph_schema import reset_data
from cypher.heuristics import Hit
from tests.cypher.conftest import DAY, HOUR, hits
from tests.cypher.scaled import RINGS, World, cycle, fan_in


def _run(driver: Driver, db: str, name: str, w: World) -> dict[str, Hit]:
    w.g.commit(driver, db)
    return hits(driver, db, name, as_of=w.as_of, window_s=w.window_s)


def _world(ring: str, *, amount: float = 1.0, unit: int = HOUR,
           near_miss: bool = False) -> tuple[World, set[str]]:
    w = World(amount=amount, unit=unit)
    w.background()
    return w, RINGS[ring](w, near_miss)


@pytest.mark.parametrize("name", sorted(RINGS))
def test_typology_fires_on_its_ring_with_a_graded_score(graph: Driver, db: str,
                                                        name: str) -> None:
    w, members = _world(name)
    found = _run(graph, db, name, w)
    assert members <= set(found), f"{name} missed {sorted(members - set(found))}"
    assert all(0.0 < found[m].score < 1.0 for m in members)
    assert all(found[m].evidence for m in members)


@pytest.mark.parametrize("name", sorted(RINGS))
def test_typology_quiet_on_the_near_miss(graph: Driver, db: str, name: str) -> None:
    w, members = _world(name, near_miss=True)
    found = _run(graph, db, name, w)
    assert not members & set(found), f"{name} flagged {sorted(members & set(found))}"


@pytest.mark.parametrize("name", sorted(RINGS))
@pytest.mark.parametrize("scale", ["amount_x1000", "hours_to_days"])
def test_the_same_ring_at_another_scale_is_still_flagged(graph: Driver, db: str, name: str,
                                                         scale: str) -> None:
    w, members = _world(name)
    base = _run(graph, db, name, w)
    reset_data(graph, db)
    kw = {"amount": 1000.0} if scale == "amount_x1000" else {"unit": DAY}
    w2, _ = _world(name, **kw)  # type: ignore[arg-type]
    scaled = _run(graph, db, name, w2)
    assert members <= set(scaled)
    # The whole outcome is invariant, not only the ring: every threshold moved with the data.
    assert {k: round(v.score, 6) for k, v in scaled.items()} == {
        k: round(v.score, 6) for k, v in base.items()}


def test_fan_in_score_grows_with_the_senders(graph: Driver, db: str) -> None:
    w = World()
    w.background()
    fan_in(w, senders=12)
    w.g.commit(graph, db)
    small = hits(graph, db, "fan_in", as_of=w.as_of, window_s=w.window_s)["fi_hub"].score
    reset_data(graph, db)
    w = World()
    w.background()
    fan_in(w, senders=40)
    w.g.commit(graph, db)
    big = hits(graph, db, "fan_in", as_of=w.as_of, window_s=w.window_s)["fi_hub"].score
    assert 0.0 < small < big < 1.0


def test_an_absolute_override_replaces_the_derived_threshold(graph: Driver, db: str) -> None:
    w, members = _world("cycle")
    w.g.commit(graph, db)
    assert members <= set(hits(graph, db, "cycle", as_of=w.as_of, window_s=w.window_s))
    # The ring takes four hours: a two-hour span, given in seconds, is too short for it.
    tight = hits(graph, db, "cycle", as_of=w.as_of, window_s=w.window_s, cycle_s=2 * HOUR)
    assert not members & set(tight)


def test_cycle_in_any_order_unless_ordered_is_asked(graph: Driver, db: str) -> None:
    w = World()
    w.background()
    members = cycle(w, scrambled=True)
    w.g.commit(graph, db)
    assert members <= set(hits(graph, db, "cycle", as_of=w.as_of, window_s=w.window_s))
    ordered = hits(graph, db, "cycle", as_of=w.as_of, window_s=w.window_s, ordered=True)
    assert not members & set(ordered)

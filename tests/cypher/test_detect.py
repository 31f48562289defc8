"""detect: signals per run, idempotent re-runs, audit of older runs, the latest marker."""

from __future__ import annotations

import json

import pytest
from neo4j import Driver

from cypher.calibration import quantile
from cypher.catalog import parse_cypher_file
from cypher.detect import detect
from cypher.heuristics import Heuristic, load_heuristics
from cypher.signals import latest_run_id, run_signals, signal_id
from tests.cypher.conftest import AS_OF, DAY, WINDOW, Builder
from tests.cypher.scaled import World, cycle

ONLY = ["shared_device", "caller_reuse"]


def _world(driver: Driver, db: str) -> None:
    g = Builder()
    g.device("dev_x", ts=AS_OF - 20 * DAY)
    g.account("acc_a", "per_1")
    g.account("acc_b", "per_2")
    g.login("acc_a", "dev_x", AS_OF - 2 * DAY)
    g.login("acc_b", "dev_x", AS_OF - DAY)
    g.commit(driver, db)


def _signals(driver: Driver, db: str, run_id: str) -> dict[str, tuple[str, str, str]]:
    recs, _, _ = driver.execute_query(
        "MATCH (s:Signal {run_id: $r})-[:FLAGS]->(e) "
        "RETURN s.id AS id, s.heuristic AS h, s.entity_id AS eid, e.id AS flagged, "
        "s.severity AS sev", r=run_id, database_=db)
    return {r["id"]: (r["h"], r["eid"], r["flagged"]) for r in recs}


def _runs(driver: Driver, db: str) -> dict[str, dict]:
    recs, _, _ = driver.execute_query(
        "MATCH (r:DetectRun) RETURN r.id AS id, r.latest AS latest, r.status AS status, "
        "r.params AS params, r.signals AS signals", database_=db)
    return {r["id"]: r.data() for r in recs}


def test_detect_writes_one_signal_per_entity_and_reruns_idempotently(graph: Driver,
                                                                      db: str) -> None:
    _world(graph, db)
    rep = detect(graph, db, as_of=AS_OF, window_s=WINDOW, run_id="run_a", only=ONLY,
                 progress=False)
    assert rep.ok and {o.name: o.hits for o in rep.outcomes} == {"shared_device": 2,
                                                                  "caller_reuse": 0}
    first = _signals(graph, db, "run_a")
    assert set(first) == {signal_id("run_a", "shared_device", "account", a)
                          for a in ("acc_a", "acc_b")}
    assert all(eid == flagged for _h, eid, flagged in first.values())
    detect(graph, db, as_of=AS_OF, window_s=WINDOW, run_id="run_a", only=ONLY, progress=False)
    assert _signals(graph, db, "run_a") == first
    recs, _, _ = graph.execute_query("MATCH (s:Signal) RETURN count(s) AS n", database_=db)
    assert recs[0]["n"] == 2
    run = _runs(graph, db)["run_a"]
    assert run["status"] == "done" and run["latest"] is True and run["signals"] == 2
    params = json.loads(run["params"])
    assert params["as_of"] == AS_OF and params["heuristics"]["shared_device"]["min_holders"] == 2


def test_rerun_drops_stale_signals_and_older_runs_stay(graph: Driver, db: str) -> None:
    _world(graph, db)
    detect(graph, db, as_of=AS_OF, window_s=WINDOW, run_id="run_old", only=ONLY,
           progress=False)
    # A stricter threshold: the same run id, re-run, no longer flags anything.
    detect(graph, db, as_of=AS_OF, window_s=WINDOW, run_id="run_new", only=ONLY,
           progress=False)
    detect(graph, db, as_of=AS_OF, window_s=WINDOW, run_id="run_new", only=ONLY,
           overrides={"shared_device": {"min_holders": "3"}}, progress=False)
    assert _signals(graph, db, "run_new") == {}
    assert len(_signals(graph, db, "run_old")) == 2  # kept for audit
    runs = _runs(graph, db)
    assert runs["run_new"]["latest"] is True and runs["run_old"]["latest"] is False
    assert latest_run_id(graph, db) == "run_new"


def test_failed_heuristic_marks_the_run_and_keeps_latest(graph: Driver, db: str) -> None:
    _world(graph, db)
    detect(graph, db, as_of=AS_OF, window_s=WINDOW, run_id="run_ok", only=ONLY,
           progress=False)
    broken = Heuristic(parse_cypher_file(
        "// @name broken\n// @severity low\n// @entity account\n"
        "UNWIND [0] AS z RETURN 'account' AS entity_kind, 'acc_a' AS entity_id, "
        "1 / z AS score, [] AS evidence", "broken.cypher"))
    good = load_heuristics()["shared_device"]
    rep = detect(graph, db, as_of=AS_OF, window_s=WINDOW, run_id="run_bad",
                 heuristics={"broken": broken, "shared_device": good}, progress=False)
    assert not rep.ok and "broken" in (rep.outcomes[0].error or "")
    runs = _runs(graph, db)
    assert runs["run_bad"]["status"] == "failed" and runs["run_bad"]["latest"] is False
    assert latest_run_id(graph, db) == "run_ok"


def test_as_of_defaults_to_the_newest_transfer(graph: Driver, db: str) -> None:
    g = Builder()
    g.account("acc_a", "per_1")
    g.account("acc_b", "per_2")
    g.transfer("acc_a", "acc_b", 1000, AS_OF - DAY)
    g.transfer("acc_b", "acc_a", 1000, AS_OF - 3 * DAY)
    g.commit(graph, db)
    rep = detect(graph, db, window_s=WINDOW, only=["caller_reuse"], progress=False)
    assert rep.as_of == AS_OF - DAY


def test_detect_reports_the_data_and_the_thresholds_derived_from_it(graph: Driver,
                                                                   db: str) -> None:
    w = World(amount=1000.0, unit=DAY)
    w.background()
    cycle(w)
    w.g.commit(graph, db)
    rep = detect(graph, db, as_of=w.as_of, window_s=None, run_id="run_cal",
                 only=["cycle", "fast_pass_through"],
                 overrides={"fast_pass_through": {"dwell_s": "7200"}}, progress=False)
    assert rep.ok and rep.window_s == w.as_of - w.ts(0) + 1  # the whole of the data
    cal = rep.calibration
    assert cal["grain_s"] == DAY and cal["transfers"] == len(w.g.rows["transfers"])
    amounts = sorted(t["amount"] for t in w.g.rows["transfers"])
    assert cal["amount_q"][50] == amounts[round(0.5 * (len(amounts) - 1))]
    # Derived: a quantile of these amounts, whole days; the override is kept as given.
    fpt = rep.thresholds["fast_pass_through"]
    assert fpt["dwell_s"] == {"override": 7200}
    assert fpt["min_amount"]["value"] == pytest.approx(quantile(cal["amount_q"], 0.6))
    hop = rep.thresholds["cycle"]["hop_s"]["value"]
    assert hop % DAY == 0 and rep.params["cycle"]["hop_s"] == hop
    assert {"cy0", "cy4"} <= {s["entity_id"] for s in run_signals(graph, db, "run_cal")}
    recs, _, _ = graph.execute_query(
        "MATCH (r:DetectRun {id: 'run_cal'}) RETURN r.calibration AS c, r.summary AS s",
        database_=db)
    node = json.loads(recs[0]["c"])
    assert node["grain_s"] == DAY and node["transfers"] == cal["transfers"]
    assert json.loads(recs[0]["s"])["thresholds"]["cycle"]["hop_s"]["value"] == hop
    assert json.loads(json.dumps(rep.as_dict()))["calibration"]["grain_s"] == DAY

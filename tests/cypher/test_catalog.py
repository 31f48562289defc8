"""Headers, parameter specs, the static write check and small pure helpers (no server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cypher.catalog import parse_cypher_file, strip_comments_and_strings
from cypher.errors import CatalogError, ParameterError, WriteRefusedError
from cypher.heuristics import (
    ENTITY_KINDS,
    SEVERITIES,
    load_heuristics,
    merge_hits,
    parse_overrides,
    resolve_params,
)
from cypher.ids import guess_kind, resolve_id
from cypher.library import QueryLibrary
from cypher.params import ParamSet, parse_param_line, parse_text
from cypher.readonly import write_clauses
from cypher.signals import signal_id
from fraudgraph.pseudonym import Pseudonymiser

REQUIRED_SCHEMES = {"dropper", "phone_fraud", "fake_investment", "gambling"}


def test_catalog_has_the_heuristics_with_complete_headers() -> None:
    hs = load_heuristics()
    assert len(hs) >= 13
    for h in hs.values():
        assert h.severity in SEVERITIES and h.entity in ENTITY_KINDS
        assert h.file.description and h.title
        derived = {d.target for d in h.derives}
        assert all(p.default is not None for n, p in h.params.specs.items() if n not in derived)
    assert {h.scheme for h in hs.values()} >= REQUIRED_SCHEMES


def test_query_library_loads_every_query() -> None:
    lib = QueryLibrary.load()
    assert set(lib.names()) >= {"neighbourhood", "shortest_paths", "what_links", "timeline",
                                "shared_identifiers", "ring_flow"}
    hops = next(p for p in lib.get("neighbourhood").describe()["params"] if p["name"] == "hops")
    assert hops == {"name": "hops", "type": "int", "required": False, "default": 2,
                    "description": "how many hops", "range": [1.0, 4.0]}


def test_param_line_parsing() -> None:
    p = parse_param_line('rel_types list[str] = ["A", "B"] items 1..3 choices A,B,C -- types')
    assert (p.name, p.type, p.default, p.min_items, p.max_items) == (
        "rel_types", "list[str]", ["A", "B"], 1, 3)
    assert p.choices == ("A", "B", "C") and p.description == "types"
    r = parse_param_line("id id required -- who")
    assert r.required and r.default is None
    with pytest.raises(CatalogError, match="default of hops"):
        parse_param_line("hops int = 9 range 1..4")
    with pytest.raises(CatalogError, match="unknown type"):
        parse_param_line("x integer = 1")


def test_validation_types_ranges_and_unknowns() -> None:
    ps = ParamSet({s.name: s for s in (parse_param_line("id id required"),
                                       parse_param_line("hops int = 2 range 1..4"),
                                       parse_param_line("share float = 0.5 range 0..1"),
                                       parse_param_line("ids list[id] = null items 1..2"))})
    assert ps.validate({"id": "acc_1"}) == {"id": "acc_1", "hops": 2, "share": 0.5, "ids": None}
    assert ps.validate({"id": "a", "share": 1})["share"] == 1.0
    for bad, msg in (({}, "required"), ({"id": "a", "hops": 5}, "above the maximum"),
                     ({"id": "a", "hops": "2"}, "expected an integer"),
                     ({"id": "a", "hops": True}, "expected an integer"),
                     ({"id": "a", "ids": ["x", "y", "z"]}, "at most 2"),
                     ({"id": ""}, "non-empty"), ({"id": "a", "nope": 1}, "unknown parameter")):
        with pytest.raises(ParameterError, match=msg):
            ps.validate(bad)


def test_parse_text_from_the_command_line() -> None:
    assert parse_text(parse_param_line("n int = 1"), " 7 ") == 7
    assert parse_text(parse_param_line("b bool = false"), "yes") is True
    assert parse_text(parse_param_line("t ts = null"), "2026-05-01T00:00:00+05:00") == 1777575600
    assert parse_text(parse_param_line("l list[str] = null"), "A, B") == ["A", "B"]
    assert parse_text(parse_param_line("l list[str] = null"), '["A"]') == ["A"]
    with pytest.raises(ParameterError):
        parse_text(parse_param_line("t ts = null"), "2026-05-01T00:00:00")  # no zone


def test_header_must_match_parameters_used() -> None:
    with pytest.raises(CatalogError, match="undeclared parameter"):
        parse_cypher_file("// @name q\nRETURN $x", "q.cypher")
    with pytest.raises(CatalogError, match="unused parameter"):
        parse_cypher_file("// @name q\n// @param x int = 1\nRETURN 1", "q.cypher")
    cf = parse_cypher_file("// @name q\n// @param x int = 1\n// why\nRETURN $x // not $y",
                           "q.cypher", implicit=frozenset({"as_of"}))
    assert cf.used_params() == {"x"}


def test_write_detection_ignores_comments_and_strings() -> None:
    assert write_clauses("MATCH (n) WHERE n.s = 'CREATE me' RETURN n // SET x") == []
    assert write_clauses("MATCH (n) /* DELETE */ RETURN n.offset, n.settled") == []
    assert write_clauses("MATCH (n) SET n.x = 1") == ["SET"]
    assert write_clauses("MATCH (n) DETACH DELETE n") == ["DELETE"]
    assert "apoc write procedure" in write_clauses("CALL apoc.create.node(['X'], {})")
    assert write_clauses("CALL apoc.refactor.rename.label('A', 'B')") == [
        "apoc write procedure"]
    assert write_clauses("MATCH (n) CALL (n) { MERGE (m) } IN TRANSACTIONS") == [
        "MERGE", "IN TRANSACTIONS"]
    assert "''" in strip_comments_and_strings("RETURN 'it''s', \"x\\\"y\"")


def test_library_refuses_a_writing_file(tmp_path: Path) -> None:
    (tmp_path / "ok.cypher").write_text("// @name ok\n// @returns rows\nRETURN 1 AS x")
    (tmp_path / "evil.cypher").write_text(
        "// @name evil\n// @returns rows\n// @param id id required\n"
        "MATCH (a:Account {id: $id}) SET a.risk = 1 RETURN a.id AS id")
    with pytest.raises(WriteRefusedError, match=r"evil.cypher.*SET"):
        QueryLibrary.load(tmp_path)


def test_merge_hits_folds_duplicates() -> None:
    rows = [{"entity_kind": "account", "entity_id": "a", "score": 0.4, "evidence": ["d1", "x"]},
            {"entity_kind": "account", "entity_id": "a", "score": 0.9, "evidence": ["x", "d2"]},
            {"entity_kind": "account", "entity_id": "b", "score": 1.7, "evidence": None}]
    out = merge_hits(rows)
    assert [(h.entity_id, h.score, h.evidence) for h in out] == [
        ("b", 1.0, []), ("a", 0.9, ["d1", "x", "d2"])]


def test_overrides_parse_and_validate() -> None:
    hs = load_heuristics()
    texts = parse_overrides(["shared_device.min_holders=3", "transfer_cycle.min_length=2"])
    params = resolve_params(hs, texts)
    assert params["shared_device"]["min_holders"] == 3
    assert params["transfer_cycle"]["min_length"] == 2
    assert params["many_banks"]["min_banks"] == hs["many_banks"].params.specs["min_banks"].default
    with pytest.raises(ParameterError, match=r"heuristic\.name=value"):
        parse_overrides(["min_holders=3"])
    with pytest.raises(ParameterError, match="unknown heuristic"):
        resolve_params(hs, parse_overrides(["nope.x=1"]))
    with pytest.raises(ParameterError, match="below the minimum"):
        resolve_params(hs, parse_overrides(["shared_device.min_holders=1"]))


def test_ids_are_resolved_to_pseudonyms() -> None:
    p = Pseudonymiser("k")
    iban = "KZ86125KZT5004100100"
    assert guess_kind(iban) == "account" and guess_kind("900101300101") == "person"
    assert guess_kind("+7 701 123 45 67") == "phone" and guess_kind("inc_42") is None
    assert resolve_id(iban, p) == p("account", iban)
    assert resolve_id("8 701 123 45 67", p) == p("phone", "+77011234567")
    assert resolve_id("device:abc-123", p) == p("device", "abc-123")
    pseudonym = p("person", "900101300101")
    assert resolve_id(pseudonym, p) == pseudonym
    assert resolve_id("inc_42", p) == "inc_42"


def test_signal_id_is_stable_per_run_heuristic_entity() -> None:
    a = signal_id("run_1", "shared_device", "account", "acc_1")
    assert a == signal_id("run_1", "shared_device", "account", "acc_1")
    assert len({a, signal_id("run_2", "shared_device", "account", "acc_1"),
                signal_id("run_1", "many_banks", "account", "acc_1"),
                signal_id("run_1", "shared_device", "account", "acc_2")}) == 4

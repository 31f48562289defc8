"""Every .cypher file's header parses with the real parser and says what its body uses; the
parser's rules for template slots and the typed list / map parameters (no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cypher
from cypher import header, statement, template
from cypher.catalog import IMPLICIT_BY_DIR, package_dir, params_used_in, parse_cypher_file
from cypher.errors import CatalogError, ParameterError
from cypher.params import TYPES, ParamSet, check_value, parse_param_line, parse_text

ROOT = package_dir(".")
FILES = sorted(ROOT.rglob("*.cypher"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix()


def test_the_walk_finds_every_statement_directory() -> None:
    # A wrong root would make the parametrised test below vacuous.
    assert len(FILES) >= 169
    assert {p.parent.name for p in FILES} >= {"alerts", "api", "load", "heuristics", "queries"}


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_every_file_has_a_header_that_agrees_with_its_body(path: Path) -> None:
    implicit = IMPLICIT_BY_DIR.get(path.parent.name, frozenset())
    cf = parse_cypher_file(path.read_text(encoding="utf-8"), _rel(path), implicit=implicit)
    assert cf.name == path.stem
    assert cf.description.strip()
    derived = {w for d in cf.derives for w in d.split()[2:3]}
    slot_uses = {u for t in cf.templates.values() for u in t.uses}
    assert set(cf.params.specs) == (cf.used_params() | derived | slot_uses) - implicit
    assert set(cf.templates) == cf.used_slots()
    # Runner-supplied names exist only where a runner supplies them.
    if not implicit:
        assert not (cf.used_params() - set(cf.params.specs))
    # statement() reads the same file through the same check.
    assert header(_rel(path)).name == cf.name


def _parse(text: str, **kw: Any) -> Any:
    return parse_cypher_file(text, "q.cypher", **kw)


def test_a_template_slot_is_not_a_parameter() -> None:
    cf = _parse("// @name q\n// @template LABEL -- a label\n// @param id str\n"
                "MATCH (n:$$LABEL$$ {id: $id}) RETURN n")
    assert cf.used_params() == {"id"} and cf.used_slots() == {"LABEL"}
    assert cf.templates["LABEL"].description == "a label"
    assert cf.as_dict()["templates"] == [{"name": "LABEL", "uses": [], "description": "a label"}]


def test_an_undeclared_template_slot_is_refused() -> None:
    with pytest.raises(CatalogError, match=r"undeclared template slot.*LABEL"):
        _parse("// @name q\nMATCH (n:$$LABEL$$) RETURN n")
    # Lower case is no slot name; it is refused rather than read as a parameter.
    with pytest.raises(CatalogError, match=r"undeclared template slot.*label"):
        _parse("// @name q\nMATCH (n:$$label$$) RETURN n")


def test_an_unused_template_slot_is_refused() -> None:
    with pytest.raises(CatalogError, match=r"unused template slot.*TYPE"):
        _parse("// @name q\n// @template TYPE -- a type\nMATCH (n) RETURN n")
    # A slot named only in a comment of the body is not used.
    with pytest.raises(CatalogError, match="unused template slot"):
        _parse("// @name q\n// @template TYPE -- a type\nMATCH (n) // $$TYPE$$\nRETURN n")


def test_template_slot_declarations_are_checked() -> None:
    with pytest.raises(CatalogError, match="UPPER_CASE"):
        _parse("// @name q\n// @template label -- x\nMATCH (n:$$label$$) RETURN n")
    with pytest.raises(CatalogError, match="declared twice"):
        _parse("// @name q\n// @template L -- x\n// @template L -- y\nMATCH (n:$$L$$) RETURN n")
    with pytest.raises(CatalogError, match="expected `NAME"):
        _parse("// @name q\n// @template L extra -- x\nMATCH (n:$$L$$) RETURN n")


def test_a_slots_uses_count_as_used_and_must_be_declared() -> None:
    text = ("// @name q\n// @template WHERE uses run_id -- a filter\n{}"
            "MATCH (n:Signal) $$WHERE$$ RETURN n")
    cf = _parse(text.format("// @param run_id str = null\n"))
    assert cf.templates["WHERE"].uses == ("run_id",)
    with pytest.raises(CatalogError, match=r"undeclared parameter.*run_id"):
        _parse(text.format(""))


def test_params_used_in_skips_slots_comments_and_strings() -> None:
    assert params_used_in("MATCH (n:$$L$$ {id: $id}) WHERE n.s = '$no' // $nor\nRETURN $x") \
        == {"id", "x"}


def test_template_takes_exactly_the_declared_slots() -> None:
    text = template("alerts/entity_context", LABEL="Account",
                    ACCOUNTS="(acc:Account) WHERE acc = n")
    assert "$$" not in text and "(n:Account {id: id})" in text
    with pytest.raises(CatalogError, match=r"placeholders not filled in: \$\$ACCOUNTS\$\$"):
        template("alerts/entity_context", LABEL="Account")
    with pytest.raises(CatalogError, match="not slots of this statement: ACCOUNTS"):
        template("alerts/link_entities", LABEL="Account", ACCOUNTS="")
    with pytest.raises(CatalogError, match="not slots of this statement: LABEL"):
        template("load/accounts", LABEL="Account")


def test_template_refuses_filled_text_reading_undeclared_parameters() -> None:
    # export_node_ids declares run_id for its WHERE slot; any other parameter is refused.
    assert "$run_id" in template("gnn/export_node_ids", LABEL="Signal",
                                 WHERE="WHERE n.run_id = $run_id")
    with pytest.raises(CatalogError, match=r"undeclared parameter.*secret"):
        template("gnn/export_node_ids", LABEL="Signal", WHERE="WHERE n.id = $secret")


def test_statement_checks_the_header_once(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = "// no header\nMATCH (n) RETURN $x\n"
    monkeypatch.setattr(cypher, "_text", lambda path: bad)
    for f in (cypher.header, cypher.statement):
        f.cache_clear()
    try:
        with pytest.raises(CatalogError, match="@name"):
            statement("load/banks")
    finally:
        monkeypatch.undo()
        for f in (cypher.header, cypher.statement):
            f.cache_clear()
    assert "UNWIND $rows" in statement("load/banks")


def test_statement_refuses_a_name_that_differs_from_the_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cypher, "_text", lambda path: "// @name other\n"
                        "// @description x\nRETURN 1\n")
    cypher.header.cache_clear()
    try:
        with pytest.raises(CatalogError, match="differs from the file name"):
            header("load/banks")
    finally:
        monkeypatch.undo()
        cypher.header.cache_clear()


@pytest.mark.parametrize(("line", "good", "want"), [
    ("x list[int]", [1, -2], [1, -2]),
    ("x list[int] range 0..5 items 1..3", [0, 5], [0, 5]),
    ("x list[float] range 0..1", [0, 0.5, 1], [0.0, 0.5, 1.0]),
    ("x list[bool]", [True, False], [True, False]),
    ("x map", {"a": 1, "b": [2]}, {"a": 1, "b": [2]}),
    ("x list[map]", [{"id": "a"}, {}], [{"id": "a"}, {}]),
    ("x list[list]", [["a", 0.5], ("b", 1)], [["a", 0.5], ["b", 1]]),
    ("x list[str] nullable", ["a", None], ["a", None]),
    ("x list[int] nullable", [None, 3], [None, 3]),
])
def test_new_types_accept_good_values(line: str, good: Any, want: Any) -> None:
    assert check_value(parse_param_line(line), good) == want


@pytest.mark.parametrize(("line", "bad", "msg"), [
    ("x list[int]", [1.5], "expected an integer"),
    ("x list[int]", [True], "expected an integer"),
    ("x list[int]", [None], "expected an integer"),
    ("x list[int]", 3, "expected a list"),
    ("x list[int] range 0..5", [6], "above the maximum"),
    ("x list[int] items 1..2", [1, 2, 3], "at most 2"),
    ("x list[float]", ["0.5"], "expected a number"),
    ("x list[float] range 0..1", [-0.1], "below the minimum"),
    ("x list[float]", [float("nan")], "finite"),
    ("x list[bool]", [1], "true or false"),
    ("x map", [["a", 1]], "map with string keys"),
    ("x map", {1: "a"}, "map with string keys"),
    ("x list[map]", [["a"]], "map with string keys"),
    ("x list[map]", {"a": 1}, "expected a list"),
    ("x list[list]", [{"a": 1}], "one row"),
    ("x list[str]", ["a", None], "non-empty string"),
])
def test_new_types_reject_wrong_values(line: str, bad: Any, msg: str) -> None:
    with pytest.raises(ParameterError, match=msg):
        check_value(parse_param_line(line), bad)


def test_new_types_in_specs_defaults_and_command_line() -> None:
    assert set(TYPES) >= {"list[int]", "list[float]", "list[bool]", "map", "list[map]",
                          "list[list]"}
    qs = parse_param_line("qs list[float] = [0.5, 0.9] range 0..1 -- quantiles")
    assert qs.default == [0.5, 0.9] and qs.as_dict()["range"] == [0.0, 1.0]
    with pytest.raises(CatalogError, match="default of qs"):
        parse_param_line("qs list[float] = [2] range 0..1")
    with pytest.raises(CatalogError, match="only a list"):
        parse_param_line("n int nullable")
    assert parse_param_line("x list[str] nullable").as_dict()["nullable"] is True
    assert parse_text(qs, "0.1, 0.2") == [0.1, 0.2]
    assert parse_text(qs, "[1]") == [1.0]
    assert parse_text(parse_param_line("n list[int]"), "1,2") == [1, 2]
    assert parse_text(parse_param_line("b list[bool]"), "yes,0") == [True, False]
    assert parse_text(parse_param_line("m map"), '{"a": 1}') == {"a": 1}
    with pytest.raises(ParameterError):
        parse_text(parse_param_line("n list[int]"), "1,x")
    with pytest.raises(ParameterError):
        parse_text(parse_param_line("m map"), "{nope")
    ps = ParamSet({s.name: s for s in (qs, parse_param_line("rows list[map] required"))})
    assert ps.validate({"rows": [{"id": "a"}]}) == {"qs": [0.5, 0.9], "rows": [{"id": "a"}]}
    with pytest.raises(ParameterError, match="rows"):
        ps.validate({"rows": [1]})

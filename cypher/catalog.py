"""Reading .cypher files with a machine-readable header.

The header is the leading block of `//` comment lines. Lines of the form `// @tag value`
are data; other comment lines are free commentary for the reader. `@param` lines follow
cypher.params; `@description` lines are joined. Every `$name` the body uses must be
declared, or be one of the names the runner supplies (`implicit`), and every declared one
used.

A `$$NAME$$` in the body is a template slot, not a parameter: text that Cypher cannot take
as a `$parameter` (a label, a relationship type, a pattern), filled in by
`cypher.template()` from the code's own vocabulary. Each slot is declared with
`// @template NAME [uses p1,p2] -- text`, and declared and used slots must agree, like
parameters. `uses` names the declared parameters that only the filled-in text reads (a
filter `WHERE n.run_id = $run_id` given as a slot): they count as used, and
`cypher.template()` refuses a filled-in text that reads any parameter the header lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cypher.errors import CatalogError
from cypher.params import ParamSet, parse_param_line

_TAG_RE = re.compile(r"^//\s*@([a-z_]+)\s*(.*)$")
_PARAM_USE_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Any `$$word$$` is a slot use; a declared slot's name must be upper case (_SLOT_NAME_RE),
# so a lower-case one in a body is refused as undeclared rather than read as a parameter.
_SLOT_USE_RE = re.compile(r"\$\$([A-Za-z_][A-Za-z0-9_]*)\$\$")
_SLOT_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# The names a runner supplies to every statement of a directory, not declared per file:
# the heuristics get the detect run's as_of, window_s and max_evidence (cypher.heuristics).
IMPLICIT_BY_DIR: dict[str, frozenset[str]] = {
    "heuristics": frozenset({"as_of", "window_s", "max_evidence"}),
}


@dataclass
class CypherFile:
    name: str
    source: str
    body: str
    tags: dict[str, str] = field(default_factory=dict)
    description: str = ""
    params: ParamSet = field(default_factory=ParamSet)
    # Repeatable `@derive` lines (cypher.calibration), in header order.
    derives: list[str] = field(default_factory=list)
    # Declared `$$NAME$$` slots (cypher.template), in header order.
    templates: dict[str, TemplateSlot] = field(default_factory=dict)

    def tag(self, name: str, default: str | None = None) -> str:
        if name in self.tags:
            return self.tags[name]
        if default is None:
            raise CatalogError(f"{self.source}: header lacks @{name}")
        return default

    def used_params(self) -> set[str]:
        # Slots go first (params_used_in): `$$LABEL$$` would otherwise read as `LABEL`.
        return params_used_in(self.body)

    def used_slots(self) -> set[str]:
        return set(_SLOT_USE_RE.findall(strip_comments_and_strings(self.body)))

    def as_dict(self) -> dict[str, Any]:
        out = {"name": self.name, "description": self.description, **{
            k: v for k, v in self.tags.items() if k != "name"},
            "params": [p.as_dict() for p in self.params.specs.values()]}
        if self.templates:
            out["templates"] = [{"name": t.name, "uses": list(t.uses),
                                 "description": t.description} for t in self.templates.values()]
        return out


@dataclass(frozen=True)
class TemplateSlot:
    """One `@template` line: a `$$NAME$$` slot, the parameters its filled-in text may read
    that the body itself does not, and what it holds."""

    name: str
    uses: tuple[str, ...] = ()
    description: str = ""


def parse_template_line(value: str, source: str = "header") -> TemplateSlot:
    """`NAME [uses p1,p2] -- text` after `@template`."""
    spec, _, desc = value.partition(" -- ")
    words = spec.split()
    if not words or not _SLOT_NAME_RE.match(words[0]):
        raise CatalogError(f"{source}: @template needs an UPPER_CASE slot name, got {value!r}")
    uses: tuple[str, ...] = ()
    if len(words) == 3 and words[1] == "uses":
        uses = tuple(u for u in words[2].split(",") if u)
        bad = [u for u in uses if not _NAME_RE.match(u)]
        if bad or not uses:
            raise CatalogError(f"{source}: @template {words[0]}: bad parameter name(s) in "
                               f"uses: {words[2]!r}")
    elif len(words) != 1:
        raise CatalogError(f"{source}: @template {words[0]}: expected `NAME [uses p1,p2] "
                           f"-- text`, got {value!r}")
    return TemplateSlot(name=words[0], uses=uses, description=desc.strip())


def params_used_in(text: str) -> set[str]:
    """The `$name` parameters a Cypher text reads (comments, strings and slots aside)."""
    code = _SLOT_USE_RE.sub(" ", strip_comments_and_strings(text))
    return set(_PARAM_USE_RE.findall(code))


def parse_cypher_file(text: str, source: str, *, implicit: frozenset[str] = frozenset()
                      ) -> CypherFile:
    """Split header and body and check that parameters declared and used agree."""
    lines = text.splitlines()
    header: list[str] = []
    i = 0
    while i < len(lines) and (lines[i].strip().startswith("//") or not lines[i].strip()):
        header.append(lines[i].strip())
        i += 1
    body = "\n".join(lines[i:]).strip()
    if not body:
        raise CatalogError(f"{source}: no query after the header")
    tags: dict[str, str] = {}
    descr: list[str] = []
    derives: list[str] = []
    params = ParamSet()
    templates: dict[str, TemplateSlot] = {}
    for ln in header:
        m = _TAG_RE.match(ln)
        if not m:
            continue
        tag, value = m.group(1), m.group(2).strip()
        if tag == "param":
            spec = parse_param_line(value, source)
            if spec.name in params.specs or spec.name in implicit:
                raise CatalogError(f"{source}: parameter {spec.name} declared twice")
            params.specs[spec.name] = spec
        elif tag == "description":
            descr.append(value)
        elif tag == "derive":
            derives.append(value)
        elif tag == "template":
            slot = parse_template_line(value, source)
            if slot.name in templates:
                raise CatalogError(f"{source}: template slot {slot.name} declared twice")
            templates[slot.name] = slot
        elif tag in tags:
            raise CatalogError(f"{source}: @{tag} given twice")
        else:
            tags[tag] = value
    name = tags.get("name", "")
    if not _NAME_RE.match(name):
        raise CatalogError(f"{source}: header needs `// @name snake_case_name`")
    cf = CypherFile(name=name, source=source, body=body, tags=tags,
                    description=" ".join(descr), params=params, derives=derives,
                    templates=templates)
    # A derive's source parameter is read by the runner, not by the query; a slot's `uses`
    # are read by the text filled into it.
    used = (cf.used_params() | {w for d in derives for w in d.split()[2:3]}
            | {u for t in templates.values() for u in t.uses})
    undeclared = sorted(used - set(params.specs) - implicit)
    if undeclared:
        raise CatalogError(f"{source}: uses undeclared parameter(s) {', '.join(undeclared)}")
    unused = sorted(set(params.specs) - used)
    if unused:
        raise CatalogError(f"{source}: declares unused parameter(s) {', '.join(unused)}")
    slots = cf.used_slots()
    undeclared = sorted(slots - set(templates))
    if undeclared:
        raise CatalogError(f"{source}: uses undeclared template slot(s) "
                           f"{', '.join(undeclared)} (declare `// @template NAME -- text`)")
    unused = sorted(set(templates) - slots)
    if unused:
        raise CatalogError(f"{source}: declares unused template slot(s) {', '.join(unused)}")
    return cf


def strip_comments_and_strings(text: str) -> str:
    """The query with comments removed and string literals blanked (keywords only remain)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c in ("'", '"', "`"):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            # Backticked names stay (they can be a label); literals become a placeholder.
            out.append(text[i:j + 1] if c == "`" else "''")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def package_dir(sub: str) -> Path:
    return Path(str(resources.files("cypher").joinpath(sub)))


def load_dir(directory: Path, *, implicit: frozenset[str] = frozenset()) -> dict[str, CypherFile]:
    """Every *.cypher file of a directory, by @name (which must equal the file stem)."""
    out: dict[str, CypherFile] = {}
    for path in sorted(directory.glob("*.cypher")):
        cf = parse_cypher_file(path.read_text(encoding="utf-8"), path.name, implicit=implicit)
        if cf.name != path.stem:
            raise CatalogError(f"{path.name}: @name {cf.name} differs from the file name")
        out[cf.name] = cf
    if not out:
        raise CatalogError(f"{directory}: no .cypher files")
    return out

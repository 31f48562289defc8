"""Parameter specs declared in .cypher headers, and validation of the values given to them.

A spec line (after `// @param`) reads::

    NAME TYPE [required] [= JSON] [range LO..HI] [items LO..HI] [choices A,B,C] [nullable]
         [-- text]

TYPE is one of int, float, bool, str, id, ts (epoch seconds), list[str], list[id],
list[int], list[float], list[bool] (typed lists: columnar batches, quantiles), map (string
keys), list[map] (a batch of rows) and list[list] (a batch of tuples). The API validates
requests against the same specs, so the rules live here and nowhere else.

`range` bounds a number, or each item of a list[int] / list[float]; `items` bounds a list's
length; `choices` lists the allowed strings (of a str, id or each item of a list[str]);
`nullable` lets a list's items be null (a columnar batch's optional field).
The structured types (map, list[map], list[list]) check the shape only: their values go
to Cypher as they are, where the statement reads the fields it knows.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cypher.errors import CatalogError, ParameterError
from fraudgraph.timestamps import epoch_seconds

TYPES = ("int", "float", "bool", "str", "id", "ts", "list[str]", "list[id]",
         "list[int]", "list[float]", "list[bool]", "map", "list[map]", "list[list]")
# Lists whose items are strings (choices and the id length apply to each item).
_STR_LISTS = ("list[str]", "list[id]")
MAX_ID_LEN = 200
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_RANGE_RE = re.compile(r"^(-?[0-9.eE+]+)?\.\.(-?[0-9.eE+]+)?$")


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    required: bool = False
    default: Any = None
    lo: float | None = None
    hi: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    choices: tuple[str, ...] = ()
    # Items of a list may be null (only lists: a scalar's null is its default or absence).
    nullable: bool = False
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (for the API's parameter documentation)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "required": self.required,
                               "default": self.default, "description": self.description}
        if self.lo is not None or self.hi is not None:
            out["range"] = [self.lo, self.hi]
        if self.min_items is not None or self.max_items is not None:
            out["items"] = [self.min_items, self.max_items]
        if self.choices:
            out["choices"] = list(self.choices)
        if self.nullable:
            out["nullable"] = True
        return out


def _bounds(text: str, where: str) -> tuple[float | None, float | None]:
    m = _RANGE_RE.match(text)
    if not m:
        raise CatalogError(f"{where}: bad range {text!r} (expected LO..HI)")
    lo = float(m.group(1)) if m.group(1) else None
    hi = float(m.group(2)) if m.group(2) else None
    return lo, hi


def parse_param_line(line: str, where: str = "header") -> ParamSpec:
    """Parse the text after `@param` into a spec; the default must itself be valid."""
    body, _, desc = line.partition(" -- ")
    body = body.strip()
    parts = body.split(None, 2)
    if len(parts) < 2:
        raise CatalogError(f"{where}: @param needs NAME TYPE, got {line!r}")
    name, ptype = parts[0], parts[1]
    rest = parts[2] if len(parts) > 2 else ""
    if not _NAME_RE.match(name):
        raise CatalogError(f"{where}: bad parameter name {name!r}")
    if ptype not in TYPES:
        raise CatalogError(f"{where}: parameter {name}: unknown type {ptype!r}")
    kw: dict[str, Any] = {}
    decoder = json.JSONDecoder()
    while rest:
        rest = rest.lstrip()
        if not rest:
            break
        if rest.startswith("="):
            try:
                kw["default"], end = decoder.raw_decode(rest[1:].lstrip())
            except json.JSONDecodeError as e:
                raise CatalogError(f"{where}: parameter {name}: default is not JSON") from e
            rest = rest[1:].lstrip()[end:]
            continue
        word, _, rest = rest.partition(" ")
        if word == "required":
            kw["required"] = True
        elif word == "nullable":
            if not ptype.startswith("list["):
                raise CatalogError(f"{where}: parameter {name}: only a list's items are nullable")
            kw["nullable"] = True
        elif word in ("range", "items", "choices"):
            arg, _, rest = rest.lstrip().partition(" ")
            if word == "range":
                kw["lo"], kw["hi"] = _bounds(arg, f"{where}: {name}")
            elif word == "items":
                lo, hi = _bounds(arg, f"{where}: {name}")
                kw["min_items"] = None if lo is None else int(lo)
                kw["max_items"] = None if hi is None else int(hi)
            else:
                kw["choices"] = tuple(c for c in arg.split(",") if c)
        else:
            raise CatalogError(f"{where}: parameter {name}: unexpected {word!r}")
    spec = ParamSpec(name=name, type=ptype, description=desc.strip(), **kw)
    if spec.required and "default" in kw:
        raise CatalogError(f"{where}: parameter {name} is required and has a default")
    if spec.default is not None:
        try:
            check_value(spec, spec.default)
        except ParameterError as e:
            raise CatalogError(f"{where}: default of {name}: {e}") from e
    return spec


def _fail(spec: ParamSpec, msg: str) -> ParameterError:
    return ParameterError(f"parameter {spec.name!r} ({spec.type}): {msg}")


def _check_range(spec: ParamSpec, v: float) -> None:
    if math.isnan(v) or math.isinf(v):
        raise _fail(spec, "must be a finite number")
    if spec.lo is not None and v < spec.lo:
        raise _fail(spec, f"{v:g} is below the minimum {spec.lo:g}")
    if spec.hi is not None and v > spec.hi:
        raise _fail(spec, f"{v:g} is above the maximum {spec.hi:g}")


def _check_str(spec: ParamSpec, v: Any, *, is_id: bool) -> str:
    if not isinstance(v, str) or not v.strip():
        raise _fail(spec, f"expected a non-empty string, got {v!r}")
    if is_id and len(v) > MAX_ID_LEN:
        raise _fail(spec, f"an id is at most {MAX_ID_LEN} characters")
    if spec.choices and v not in spec.choices:
        raise _fail(spec, f"{v!r} is not one of {', '.join(spec.choices)}")
    return v


def _check_int(spec: ParamSpec, v: Any) -> int:
    # bool is an int subclass in Python; true/false are never accepted as numbers.
    if isinstance(v, bool) or not isinstance(v, int):
        raise _fail(spec, f"expected an integer, got {v!r}")
    _check_range(spec, v)
    return v


def _check_float(spec: ParamSpec, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _fail(spec, f"expected a number, got {v!r}")
    _check_range(spec, float(v))
    return float(v)


def _check_bool(spec: ParamSpec, v: Any) -> bool:
    if not isinstance(v, bool):
        raise _fail(spec, f"expected true or false, got {v!r}")
    return v


def _check_map(spec: ParamSpec, v: Any) -> dict[str, Any]:
    # Cypher map keys are strings; anything else cannot reach the server as a map.
    if not isinstance(v, Mapping) or not all(isinstance(k, str) for k in v):
        raise _fail(spec, f"expected a map with string keys, got {v!r}")
    return dict(v)


def _check_tuple(spec: ParamSpec, v: Any) -> list[Any]:
    if not isinstance(v, (list, tuple)):
        raise _fail(spec, f"expected a list (one row), got {v!r}")
    return list(v)


def check_value(spec: ParamSpec, v: Any) -> Any:
    """The value if it fits the spec (ints widened to float for float params), else raise."""
    t = spec.type
    if t in ("int", "ts"):
        return _check_int(spec, v)
    if t == "float":
        return _check_float(spec, v)
    if t == "bool":
        return _check_bool(spec, v)
    if t in ("str", "id"):
        return _check_str(spec, v, is_id=t == "id")
    if t == "map":
        return _check_map(spec, v)
    if not isinstance(v, (list, tuple)):
        raise _fail(spec, f"expected a list, got {v!r}")
    if spec.min_items is not None and len(v) < spec.min_items:
        raise _fail(spec, f"needs at least {spec.min_items} items, got {len(v)}")
    if spec.max_items is not None and len(v) > spec.max_items:
        raise _fail(spec, f"takes at most {spec.max_items} items, got {len(v)}")
    return [None if x is None and spec.nullable else _check_item(spec, x) for x in v]


def _check_item(spec: ParamSpec, x: Any) -> Any:
    t = spec.type
    if t in _STR_LISTS:
        return _check_str(spec, x, is_id=t == "list[id]")
    if t == "list[int]":
        return _check_int(spec, x)
    if t == "list[float]":
        return _check_float(spec, x)
    if t == "list[bool]":
        return _check_bool(spec, x)
    if t == "list[map]":
        return _check_map(spec, x)
    return _check_tuple(spec, x)


def parse_text(spec: ParamSpec, text: str) -> Any:
    """A value typed on the command line, converted to the spec's type (then checked)."""
    t = spec.type
    s = text.strip()
    try:
        if t == "int":
            value: Any = int(s)
        elif t == "float":
            value = float(s)
        elif t == "bool":
            low = s.lower()
            if low not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(s)
            value = low in ("true", "1", "yes")
        elif t == "ts":
            value = parse_ts(s)
        elif t in _STR_LISTS:
            value = json.loads(s) if s.startswith("[") else [x.strip() for x in s.split(",")
                                                           if x.strip()]
        elif t in ("list[int]", "list[float]", "list[bool]"):
            # JSON (`[0.5, 0.9]`) or the items comma-separated, each read as its item type.
            item = ParamSpec(name=spec.name, type=t[5:-1])
            value = json.loads(s) if s.startswith("[") else [
                parse_text(item, x) for x in s.split(",") if x.strip()]
        elif t in ("map", "list[map]", "list[list]"):
            value = json.loads(s)
        else:
            value = s
    except (ValueError, json.JSONDecodeError) as e:
        raise _fail(spec, f"cannot read {text!r}") from e
    return check_value(spec, value)


def parse_ts(text: str) -> int:
    """Epoch seconds from an integer or an ISO-8601 timestamp with a zone."""
    return epoch_seconds(text)


@dataclass
class ParamSet:
    """Specs by name, in header order."""

    specs: dict[str, ParamSpec] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        return {n: s.default for n, s in self.specs.items() if not s.required}

    def validate(self, given: Mapping[str, Any], *, context: str = "query") -> dict[str, Any]:
        """Every declared parameter, given or default; unknown or missing ones raise."""
        unknown = sorted(set(given) - set(self.specs))
        if unknown:
            raise ParameterError(
                f"{context}: unknown parameter(s) {', '.join(unknown)}; "
                f"known: {', '.join(self.specs) or 'none'}"
            )
        out: dict[str, Any] = {}
        for name, spec in self.specs.items():
            if name in given and given[name] is not None:
                out[name] = check_value(spec, given[name])
            elif spec.required:
                raise ParameterError(f"{context}: parameter {name!r} is required")
            else:
                out[name] = spec.default
        return out

    def parse_texts(self, texts: Mapping[str, str], *, context: str = "query") -> dict[str, Any]:
        unknown = sorted(set(texts) - set(self.specs))
        if unknown:
            raise ParameterError(f"{context}: unknown parameter(s) {', '.join(unknown)}")
        return {k: parse_text(self.specs[k], v) for k, v in texts.items()}

"""The one reader of the truth format (``DIR/truth/entities.csv`` and ``schemes.csv``, as
`generator.truth` writes them and `graph_loader.adapters` convert foreign labels to).

Truth files hold raw identifiers; the graph holds pseudonyms, so each id is
pseudonymised with the deployment's key (`Pseudonymiser.resolve`: an id that already is a
pseudonym stays as it is). What counts as fraud is decided here once: ``is_fraud`` is
true for 1 / true / yes / t / y, whatever the case.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.timestamps import epoch_seconds
from generator.errors import TruthError


@dataclass(frozen=True)
class TruthRow:
    kind: str
    id: str  # pseudonym (or the raw id for kind "other")
    is_fraud: bool
    role: str
    scheme_id: str
    scheme_type: str
    active_from: int | None  # epoch seconds
    known_at: int | None  # epoch seconds; None: never reported


def epoch(text: str | None) -> int | None:
    """Epoch seconds from an integer or an ISO-8601 timestamp with a zone; None if empty."""
    s = (text or "").strip()
    if not s:
        return None
    try:
        return epoch_seconds(s)
    except ValueError as e:
        raise TruthError(f"truth timestamp {text!r}: {e}") from e


def is_true(text: str | None) -> bool:
    return (text or "").strip().lower() in ("1", "true", "yes", "t", "y")


def parse_truth_row(row: Mapping[str, str], pseudo: Pseudonymiser) -> TruthRow:
    kind = (row.get("entity_kind") or "").strip()
    raw = (row.get("entity_id") or "").strip()
    if not kind or not raw:
        raise TruthError(f"truth row without entity_kind/entity_id: {dict(row)}")
    return TruthRow(kind=kind, id=pseudo.resolve(kind, raw) if kind != "other" else raw,
                    is_fraud=is_true(row.get("is_fraud")), role=(row.get("role") or "").strip(),
                    scheme_id=(row.get("scheme_id") or "").strip(),
                    scheme_type=(row.get("scheme_type") or "").strip(),
                    active_from=epoch(row.get("active_from")), known_at=epoch(row.get("known_at")))


def truth_file(path: Path, name: str) -> Path:
    """``name`` in a truth directory, or beside a truth file."""
    return path / name if path.is_dir() else path.parent / name


def read_truth(path: Path, pseudo: Pseudonymiser) -> list[TruthRow]:
    """entities.csv of a truth directory (or the file itself)."""
    f = truth_file(path, "entities.csv") if path.is_dir() else path
    if not f.exists():
        raise TruthError(f"{f}: no truth entities file (is this the truth/ directory of a "
                         "generated world?)")
    with open(f, newline="", encoding="utf-8") as fh:
        return [parse_truth_row(r, pseudo) for r in csv.DictReader(fh)]


def read_scheme_spans(path: Path) -> dict[str, tuple[int, int]]:
    """scheme_id -> (start, end) from schemes.csv next to entities.csv; {} if absent."""
    f = truth_file(path, "schemes.csv")
    if not f.exists():
        return {}
    out: dict[str, tuple[int, int]] = {}
    with open(f, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            start, end = epoch(r.get("start_at")), epoch(r.get("end_at"))
            if r.get("scheme_id") and start is not None:
                out[r["scheme_id"]] = (start, end if end is not None else start)
    return out

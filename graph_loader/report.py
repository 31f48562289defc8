"""The load report and the rejects file (pure data, JSON and CSV)."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fraudgraph.pseudonym import Pseudonymiser, scrub_text

if TYPE_CHECKING:
    from graph_loader.feeds import Feed


@dataclass
class FileReport:
    file: str
    feed: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    resumed_from_row: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        return self.read == self.loaded + self.rejected


@dataclass
class LoadReport:
    directory: str
    started_at: str
    finished_at: str = ""
    seconds: float = 0.0
    files: list[FileReport] = field(default_factory=list)
    rejects_file: str = ""
    graph_nodes: dict[str, int] = field(default_factory=dict)
    graph_relationships: dict[str, int] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["totals"] = {"read": self.read, "loaded": self.loaded, "rejected": self.rejected}
        d["reconciles"] = all(f.reconciles for f in self.files)
        for fd, f in zip(d["files"], self.files, strict=True):
            fd["reconciles"] = f.reconciles
        return d


def redacted_row(feed: Feed, raw: dict[str, Any] | None, pseudo: Pseudonymiser) -> str:
    """A rejected row for the rejects file (and the stream's dead letters): personal
    fields as pseudonyms, free text scrubbed."""
    if raw is None:
        return ""
    kinds = {"iban": "account", "holder_iin": "person", "number": "phone", "device_id": "device",
             "ip": "ip", "from_iban": "account", "to_iban": "account", "caller": "phone",
             "callee": "phone", "victim_iban": "account", "beneficiary_ibans": "account",
             "caller_phone": "phone", "entity_id": "person"}
    out: dict[str, str] = {}
    for k, v in raw.items():
        # Undecodable input bytes arrive as surrogates, which the UTF-8 rejects file
        # cannot hold: replace them, or one bad byte would abort the whole load.
        s = "" if v is None else str(v).encode("utf-8", "replace").decode()
        if k in feed.personal and s:
            s = pseudo(kinds.get(k, "person"), s)
        elif s:
            s = scrub_text(s, pseudo)  # free text (a list reason) may quote identifiers
        out[k] = s[:200]
    return json.dumps(out, ensure_ascii=False)


REJECT_COLUMNS = ["file", "row", "field", "reason", "row_data"]


def csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas (CSV injection) in text an analyst may open in Excel."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


class RejectsWriter:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self._w = csv.writer(self._fh)
        self._w.writerow(REJECT_COLUMNS)

    def write(self, file: str, row: int, field_name: str, reason: str, row_data: str) -> None:
        self._w.writerow([file, row, field_name, csv_safe(reason), csv_safe(row_data)])

    def close(self) -> None:
        self._fh.close()

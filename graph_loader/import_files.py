"""The node and relationship files of a bulk load (`neo4j-admin database import full`).

The rows arrive shaped and deduplicated exactly as the online path's batches do
(load.py: _FileLoad), and are gathered into the graph the online statements would build
from them (cypher/load/*.cypher): event relationships stream straight to their files,
while the entities that several rows merge into (persons, phones, devices, a login's
USED edge, HAS_PHONE) are folded in memory, bounded by the number of entities, not rows.
The fold follows each statement's rule: a device's earliest first-seen time, a USED
edge's first and last time and the IP of its latest login, a phone's operator from its
latest SIM event, the earliest HAS_PHONE. Equality with the online path is a test
(tests/graph_loader/test_bulk.py: the same content checksum).

Only the high-volume feeds go through the files (BULK_FEEDS); incidents and list entries
are few and merge into whatever exists, so bulk.py writes them online after the import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from fraudgraph.vocabulary import ACCOUNT, BANK, DEVICE, EXTERNAL, PERSON, PHONE

BULK_FEEDS = ("accounts", "devices", "phones", "logins", "transfers", "calls")

Row = dict[str, Any]


ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def iso(ts: int) -> str:
    """An epoch second as the importer's datetime, the value datetime({epochSeconds})
    gives online."""
    return datetime.fromtimestamp(ts, UTC).strftime(ISO_FORMAT)


def _cell(value: Any) -> str:
    # The importer reads an empty field as no property, as a NULL is online.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Table:
    """One import file: a header line, then rows, written as they come."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.fh: TextIO = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self.w = csv.writer(self.fh)
        self.w.writerow(header)
        self.rows = 0

    def add(self, values: Iterable[Any]) -> None:
        self.w.writerow([_cell(v) for v in values])
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


class _ArrowTable:
    """An import file written a table at a time; the header comes from the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writer: pa_csv.CSVWriter | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if self.writer is None:
            self.writer = pa_csv.CSVWriter(self.path, table.schema)
        self.writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class ImportGraph:
    """Gathers the bulk feeds' shaped rows into import files under `out`."""

    def __init__(self, out: Path) -> None:
        out = out.resolve()  # the importer resolves relative paths against its own home
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.csv"):
            old.unlink()
        self.out = out
        self.banks: set[str] = set()
        self.persons: set[str] = set()
        self.externals: dict[str, str] = {}  # id -> external_kind (the first seen)
        self.devices: dict[str, list[Any]] = {}  # id -> [platform, first_seen_ts]
        self.phones: dict[str, list[Any]] = {}  # id -> [foreign, operator, last_event_ts]
        self.has_phone: dict[tuple[str, str], int] = {}  # (person, phone) -> since_ts
        self.used: dict[tuple[str, str], list[Any]] = {}  # -> [first_ts, last_ts, last_ip]
        self.max_ts: int | None = None
        self.tables: dict[str, _Table] = {}
        self.arrow_tables: dict[str, _ArrowTable] = {}
        # (label spec or type, file) in the importer's order; filled as tables open.
        self.node_files: list[tuple[str, Path]] = []
        self.rel_files: list[tuple[str, Path]] = []

    def _table(self, name: str, header: list[str], *, nodes: str | None = None,
               rel: str | None = None) -> _Table:
        t = self.tables.get(name)
        if t is None:
            t = self.tables[name] = _Table(self.out / f"{name}.csv", header)
            if nodes is not None:
                self.node_files.append((nodes, t.path))
            if rel is not None:
                self.rel_files.append((rel, t.path))
        return t

    def _arrow(self, name: str, *, rel: str) -> _ArrowTable:
        t = self.arrow_tables.get(name)
        if t is None:
            t = self.arrow_tables[name] = _ArrowTable(self.out / f"{name}.csv")
            self.rel_files.append((rel, t.path))
        return t

    def _seen_ts(self, ts: int | None) -> None:
        if isinstance(ts, int) and (self.max_ts is None or ts > self.max_ts):
            self.max_ts = ts

    # ------------------------------------------------------------------ feeds
    def add(self, feed: str, rows: list[Row]) -> None:
        getattr(self, f"_{feed}")(rows)

    def _accounts(self, rows: list[Row]) -> None:
        acc = self._table("accounts", [f"id:ID({ACCOUNT})", "bank", "kind", "holder",
                                       "opened_ts:long", "opened_at:datetime"], nodes=ACCOUNT)
        holds = self._table("holds", [f":START_ID({PERSON})", f":END_ID({ACCOUNT})"],
                            rel="HOLDS")
        at_bank = self._table("at_bank", [f":START_ID({ACCOUNT})", f":END_ID({BANK})"],
                              rel="AT_BANK")
        for r in rows:
            acc.add((r["id"], r["bank"], r["kind"], r["holder"], r["opened_ts"],
                     iso(r["opened_ts"])))
            self.persons.add(r["holder"])
            holds.add((r["holder"], r["id"]))
            at_bank.add((r["id"], r["bank"]))

    def _devices(self, rows: list[Row]) -> None:
        # One row per device (a repeated id is rejected) and this feed comes before the
        # logins that add bare devices: devices.cypher's earliest-time rule has nothing to fold.
        for r in rows:
            self.devices[r["id"]] = [r["platform"], r["first_seen_ts"]]

    def _phones(self, rows: list[Row]) -> None:
        sim = self._table("sim_events", [f":START_ID({PERSON})", f":END_ID({PHONE})",
                                         "event_id", "kind", "ts:long", "operator"],
                          rel="SIM_EVENT")
        for r in rows:
            ts = r["ts"]
            self._seen_ts(ts)
            ph = self.phones.setdefault(r["phone"], [r["foreign"], None, None])
            # phones.cypher: the operator of the latest event (a later row wins a tie),
            # compared before that event's time is taken in.
            if (ph[2] or 0) <= ts:
                ph[1] = r["operator"]
            if (ph[2] or 0) < ts:
                ph[2] = ts
            self.persons.add(r["holder"])
            sim.add((r["holder"], r["phone"], r["event_id"], r["event"], ts, r["operator"]))
            key = (r["holder"], r["phone"])
            since = self.has_phone.get(key)
            if since is None or ts < since:
                self.has_phone[key] = ts

    def _logins(self, rows: list[Row]) -> None:
        for r in rows:
            ts = r["ts"]
            self._seen_ts(ts)
            self.devices.setdefault(r["device"], [None, None])
            key = (r["account"], r["device"])
            u = self.used.get(key)
            if u is None:
                self.used[key] = [ts, ts, r["ip"]]
                continue
            # logins.cypher: the last IP first, against the last time before this row.
            if ts >= u[1]:
                u[2] = r["ip"]
            u[0] = min(u[0], ts)
            u[1] = max(u[1], ts)

    def _transfers(self, rows: list[Row]) -> None:
        # The volume feed: written a column at a time (pyarrow), not a row at a time.
        t = self._arrow("transferred", rel="TRANSFERRED")
        for r in rows:
            if r["src_ext"] is not None:
                self.externals.setdefault(r["src"], r["src_ext"])
            if r["dst_ext"] is not None:
                self.externals.setdefault(r["dst"], r["dst_ext"])
        ts = pa.array([r["ts"] for r in rows], pa.int64())
        self._seen_ts(pc.max(ts).as_py())
        t.write(pa.table({
            f":START_ID({ACCOUNT})": pa.array([r["src"] for r in rows], pa.string()),
            f":END_ID({ACCOUNT})": pa.array([r["dst"] for r in rows], pa.string()),
            "tx_id": pa.array([r["tx_id"] for r in rows], pa.string()),
            "amount:double": pa.array([r["amount"] for r in rows], pa.float64()),
            "ts:long": ts,
            "at:datetime": pc.strftime(ts.cast(pa.timestamp("s")), format=ISO_FORMAT),
            "channel": pa.array([r["channel"] for r in rows], pa.string()),
            "interbank:boolean": pa.array([r["interbank"] for r in rows], pa.bool_()),
        }))

    def _calls(self, rows: list[Row]) -> None:
        t = self._table("called", [f":START_ID({PHONE})", f":END_ID({PHONE})", "call_id",
                                   "ts:long", "at:datetime", "duration_s:long"], rel="CALLED")
        for r in rows:
            self.phones.setdefault(r["caller"], [r["caller_foreign"], None, None])
            self.phones.setdefault(r["callee"], [r["callee_foreign"], None, None])
            self._seen_ts(r["ts"])
            t.add((r["caller"], r["callee"], r["call_id"], r["ts"], iso(r["ts"]),
                   r["duration_s"]))

    # ------------------------------------------------------------------ files
    def finish(self) -> None:
        """Write the folded entities and close every file."""
        def table(name: str, header: list[str], rows: Iterable[Iterable[Any]], *,
                  nodes: str | None = None, rel: str | None = None) -> None:
            t = self._table(name, header, nodes=nodes, rel=rel)
            for values in rows:
                t.add(values)

        table("banks", [f"id:ID({BANK})"], ((b,) for b in sorted(self.banks)), nodes=BANK)
        table("persons", [f"id:ID({PERSON})"], ((p,) for p in self.persons), nodes=PERSON)
        table("externals", [f"id:ID({ACCOUNT})", "kind", "external_kind"],
              ((i, "external", k) for i, k in self.externals.items()),
              nodes=f"{ACCOUNT}:{EXTERNAL}")
        table("devices", [f"id:ID({DEVICE})", "platform", "first_seen_ts:long"],
              ((i, p, f) for i, (p, f) in self.devices.items()), nodes=DEVICE)
        table("phones", [f"id:ID({PHONE})", "foreign:boolean", "operator",
                         "last_sim_event_ts:long"],
              ((i, f, o, t) for i, (f, o, t) in self.phones.items()), nodes=PHONE)
        table("has_phone", [f":START_ID({PERSON})", f":END_ID({PHONE})", "since_ts:long"],
              ((p, ph, s) for (p, ph), s in self.has_phone.items()), rel="HAS_PHONE")
        table("used", [f":START_ID({ACCOUNT})", f":END_ID({DEVICE})", "first_ts:long",
                       "last_ts:long", "last_ip"],
              ((a, d, f, la, ip) for (a, d), (f, la, ip) in self.used.items()), rel="USED")
        for t in self.tables.values():
            t.close()
        for a in self.arrow_tables.values():
            a.close()

    def counts(self) -> dict[str, int]:
        return ({name: t.rows for name, t in self.tables.items()}
                | {name: a.rows for name, a in self.arrow_tables.items()})

    def arguments(self, root: Path | None = None) -> list[str]:
        """The importer's --nodes / --relationships arguments; file paths relative to
        `root` when given (for a command to run on another machine)."""
        def where(p: Path) -> str:
            return str(p.relative_to(root.resolve())) if root is not None else str(p)

        return ([f"--nodes={spec}={where(p)}" for spec, p in self.node_files]
                + [f"--relationships={rel}={where(p)}" for rel, p in self.rel_files])

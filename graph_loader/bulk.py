"""`fraudgraph load DIR --bulk`: the first load of an empty database through Neo4j's
offline importer (`neo4j-admin database import full`).

The rows go through the online path's reading, validation, pseudonymisation, duplicate
detection and rejects (load.py: the same `_FileLoad`, with import files as its sink), so
the report reconciles the same way and a rejected row is rejected for the same reason.
Then, on the project-managed server: stop it, import the files, start it, apply the
schema, and record each imported file as fully committed (its LoadBatch progress), so a
later online load of the same files skips every row and a new file loads incrementally.
Incidents and list entries, which merge into the imported graph, are written online
after the import.

Against an existing Neo4j (NEO4J_URI) nothing is imported: the files are written and the
command to run on that server is returned, as the importer needs the database offline
and its store on local disk.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from neo4j import Driver, ManagedTransaction

from cypher import statement
from cypher.graph_schema import apply_schema
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from graph_loader.errors import GraphLoaderError
from graph_loader.feeds import Feed
from graph_loader.import_files import BULK_FEEDS, ImportGraph
from graph_loader.load import (
    Loading,
    OnlineSink,
    feed_files,
    file_key,
    mark_provenance,
    start_loading,
)
from graph_loader.report import LoadReport
from graph_loader.writer import cypher

log = logging.getLogger(__name__)

ADMIN_ENTRY_POINT = "org.neo4j.cli.AdminTool"


class DatabaseNotEmpty(GraphLoaderError):
    """--bulk replaces the store, so it refuses a database that holds anything."""


@dataclass
class BulkResult:
    report: LoadReport
    import_dir: str
    files: dict[str, int]  # import file -> rows
    command: list[str]  # the importer's command line
    imported: bool  # False against an external NEO4J_URI: the command is to be run there
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**self.report.as_dict(), "bulk": {
            "import_dir": self.import_dir, "files": self.files,
            "command": shlex.join(self.command), "imported": self.imported,
            "seconds": self.seconds}}


class _FileSink:
    """One bulk feed file's batches, gathered into the import files."""

    def __init__(self, graph: ImportGraph, feed: Feed) -> None:
        self.graph, self.feed = graph, feed

    def banks(self, codes: list[str]) -> None:
        self.graph.banks.update(codes)

    def batch(self, rows: list[dict[str, Any]], progress: dict[str, Any]) -> None:
        self.graph.add(self.feed.name, rows)

    def close(self) -> None:
        pass


def node_count(driver: Driver, database: str) -> int:
    recs, _, _ = driver.execute_query(statement("load/node_count"), database_=database,
                                      routing_="r")
    return int(recs[0]["c"])


def _meta(driver: Driver, database: str) -> list[dict[str, Any]]:
    recs, _, _ = driver.execute_query(statement("load/meta_read"), database_=database,
                                      routing_="r")
    return [dict(r["props"]) for r in recs if r["props"].get("key") is not None]


def _schema(driver: Driver, database: str) -> dict[str, str]:
    """Constraint and index name -> the statement that creates it (indexes that back a
    constraint come with their constraint)."""
    cons, _, _ = driver.execute_query(statement("load/constraints_read"), database_=database,
                                      routing_="r")
    idx, _, _ = driver.execute_query(statement("load/indexes_read"), database_=database,
                                     routing_="r")
    return ({r["name"]: r["createStatement"] for r in cons}
            | {r["name"]: r["createStatement"] for r in idx if r["owningConstraint"] is None})


def _restore_schema(driver: Driver, database: str, before: dict[str, str]) -> list[str]:
    """Recreate what the database had before the import and the schema file does not
    create (the import starts from an empty store). Returns the names recreated."""
    apply_schema(driver, database)
    now = _schema(driver, database)
    missing = [name for name in before if name not in now]
    for name in missing:
        # The server's own statement for its own schema element, read a moment ago; no
        # value from a request or a feed is in it.
        driver.execute_query(before[name], database_=database)
    driver.execute_query(statement("schema/await_indexes"), database_=database)
    return missing


def admin_command(server: Neo4jServer, database: str, graph: ImportGraph, *,
                  java: str | None = None, relative_to: Path | None = None) -> list[str]:
    """The importer's command line: on this server's JDK and classpath, or (relative_to)
    as `neo4j-admin` on another machine, with the files' paths relative to a directory."""
    # The database before the file lists: each of those takes every word after it.
    args = ["database", "import", "full", database, "--overwrite-destination=true",
            "--skip-bad-relationships=false", "--skip-duplicate-nodes=false",
            *graph.arguments(relative_to)]
    if java is None:
        return ["neo4j-admin", *args]
    return [java, "-Xmx1g", "-cp", f"{server.lib_dir}/*", ADMIN_ENTRY_POINT, *args]


def _record_imported(driver: Driver, database: str, loading: Loading,
                     imported: list[tuple[Feed, Path]], max_ts: int | None) -> None:
    """Each imported file as committed up to its last row, in the online path's own
    progress records (writer.py), so a reload of the same file is a no-op."""
    def write(tx: ManagedTransaction) -> None:
        by_file = {f.file: f for f in loading.report.files}
        for feed, path in imported:
            key = file_key(path, feed.name)
            tx.run(cypher("progress_lock"), key=key, feed=feed.name, file=path.name).consume()
            tx.run(cypher("progress"), key=key, rows_done=by_file[str(path)].read, ahead=[],
                   max_ts=max_ts).consume()

    with driver.session(database=database) as session:
        session.execute_write(write)


def _renew_bookmarks(driver: Driver, database: str) -> None:
    """The replaced store restarts its transaction ids, so the bookmarks execute_query
    kept of the old store's transactions would make every later query wait for a
    transaction that never comes (BookmarkTimeout): swap them for one of the new store."""
    with driver.session(database=database, default_access_mode="READ") as session:
        session.execute_read(lambda tx: tx.run(statement("load/node_count")).consume())
        fresh = session.last_bookmarks().raw_values
    bm = driver.execute_query_bookmark_manager
    bm.update_bookmarks(bm.get_bookmarks(), fresh)


def _run_import(cmd: list[str], server: Neo4jServer, log_path: Path) -> None:
    env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.conf_dir)}
    log.info("importing: %s", shlex.join(cmd))
    with open(log_path, "w", encoding="utf-8") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                              cwd=server.home, check=False)
    if proc.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-25:])
        raise GraphLoaderError(
            f"neo4j-admin import exited with {proc.returncode}; see {log_path}:\n{tail}")


def bulk_load(
    driver: Driver,
    settings: Settings,
    directory: Path,
    pseudo: Pseudonymiser,
    *,
    rejects_path: Path,
    import_dir: Path,
    batch_size: int = 10000,
    now: datetime | None = None,
    progress: bool = True,
) -> BulkResult:
    """Load `directory` into the empty database through the offline importer."""
    database = settings.neo4j_database
    files = feed_files(directory)
    if (n := node_count(driver, database)) > 0:
        raise DatabaseNotEmpty(
            f"database {database!r} holds {n} nodes besides its Meta records: --bulk "
            "replaces the whole store, so it only loads into an empty database. Load into "
            "this one without --bulk (incremental, idempotent), or empty it first with "
            "`fraudgraph reset`.")
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    loading = start_loading(driver, database, directory, pseudo, rejects_path=rejects_path,
                            batch_size=batch_size, now=now)
    graph = ImportGraph(import_dir)
    bulk = [(f, p) for f, p in files if f.name in BULK_FEEDS]
    online = [(f, p) for f, p in files if f.name not in BULK_FEEDS]
    server = Neo4jServer(settings)
    try:
        for feed, path in bulk:
            loading.load_file(feed, path, _FileSink(graph, feed), progress)
        graph.finish()
        seconds["validate_and_write_files"] = round(time.monotonic() - t0, 3)
        if not settings.managed:
            loading.rejects.close()
            cmd = admin_command(server, database, graph, relative_to=import_dir)
            log.warning("NEO4J_URI points at an existing server: the import files are in "
                        "%s; run there, with that database stopped: %s; then `fraudgraph "
                        "load %s` (without --bulk) adds the incidents and list entries and "
                        "finds every imported row present", import_dir, shlex.join(cmd),
                        directory)
            return BulkResult(loading.report, str(import_dir), graph.counts(), cmd, False,
                              seconds)
        cmd = admin_command(server, database, graph, java=server.java())
        meta = _meta(driver, database)
        schema = _schema(driver, database)
        t1 = time.monotonic()
        server.stop()
        try:
            _run_import(cmd, server, import_dir / "import.log")
        finally:
            # A failed import leaves the old store in place: serve it again either way.
            server.start()
            _renew_bookmarks(driver, database)
        seconds["import"] = round(time.monotonic() - t1, 3)
        t2 = time.monotonic()
        recreated = _restore_schema(driver, database, schema)
        if recreated:
            log.info("recreated after the import: %s", ", ".join(recreated))
        mark_provenance(driver, database, directory)
        _record_imported(driver, database, loading, bulk, graph.max_ts)
        driver.execute_query(statement("load/meta_restore"), rows=meta, database_=database)
        seconds["schema"] = round(time.monotonic() - t2, 3)
        t3 = time.monotonic()
        for feed, path in online:
            loading.load_file(feed, path, OnlineSink(driver, database, feed, 1), progress)
        seconds["online_feeds"] = round(time.monotonic() - t3, 3)
    except BaseException:
        loading.rejects.close()
        raise
    return BulkResult(loading.finish(), str(import_dir), graph.counts(), cmd, True, seconds)

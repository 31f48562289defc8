"""The analyst notebooks' shared set-up: one small generated world, loaded once.

    world = prepare_world(notebook_settings(), accounts=3000, seed=7)
    world.driver, world.world_dir, world.truth_dir, world.pseudo, world.database

Generation and loading are skipped when their results are already there: the world's
files when its manifest exists, the load when a marker in the graph names this world
and this pseudonym key (a different world or key means the graph is reset and reloaded).

A reset erases the graph, so it is refused unless the graph is empty or holds generated
worlds only (the loader records whether it ever took real feeds): pointed at production,
`prepare_world` raises `NotebookRefused` rather than wiping it. To explore real data,
use `read_only_driver(settings)`: its sessions are read transactions, which the server
refuses to let write, and skip `prepare_world` (the cells that need the synthetic truth
then do not apply).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver

from cypher import statement, template
from fraudgraph.db import make_driver
from fraudgraph.errors import FraudgraphError
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import REPO_ROOT, Settings, load_settings
from fraudgraph.vocabulary import BANK, LOADED_LABELS
from graph_loader.load import PROVENANCE_KEY

log = logging.getLogger(__name__)

MARKER_KEY = "notebook_world"
# Banks are not counted: they name the participant banks, nobody's personal data.
_DATA = tuple(lb for lb in LOADED_LABELS if lb != BANK)


class NotebookRefused(FraudgraphError):
    """The graph holds data that is not a generated world; the notebooks will not erase it."""


@dataclass
class NotebookWorld:
    driver: Driver
    world_dir: Path
    settings: Settings
    pseudo: Pseudonymiser
    loaded_now: bool  # False when the graph already held this world

    @property
    def database(self) -> str:
        return self.settings.neo4j_database

    @property
    def truth_dir(self) -> Path:
        return self.world_dir / "truth"

    def __iter__(self) -> Iterator[Any]:
        # `driver, world_dir = prepare_world(...)` reads naturally in a notebook.
        return iter((self.driver, self.world_dir))


def notebook_settings() -> Settings:
    """Settings from the environment and the repository's `.env`: Jupyter runs a kernel
    in the notebook's folder, where a relative `.env` would not be found."""
    return load_settings(_env_file=REPO_ROOT / ".env")


def world_dir_for(settings: Settings, accounts: int, seed: int) -> Path:
    return settings.var_dir / "worlds" / f"notebook-{accounts}-s{seed}"


def world_marker(world_dir: Path, pseudo: Pseudonymiser) -> str:
    """Names the world and the key: the pseudonym of a fixed value changes with the key,
    and shows nothing of the key itself."""
    return f"{world_dir.name}:{pseudo('account', 'notebook-marker')}"


def graph_holds(driver: Driver, database: str, marker: str, manifest: dict[str, Any]) -> bool:
    """True when the graph was loaded from this world with this key and still holds it:
    the marker survives `reset_data` (it is a Meta node), so the counts are checked too."""
    recs, _, _ = driver.execute_query(
        statement("notebook/world_held"), key=MARKER_KEY, database_=database, routing_="r")
    r = recs[0]
    feeds = manifest.get("feeds", {})
    return (r["world"] == marker and r["accounts"] == feeds.get("accounts")
            and r["transfers"] == feeds.get("transfers"))


def may_replace(driver: Driver, database: str) -> tuple[bool, str]:
    """Whether the notebooks may reset this graph, and why not. Allowed: an empty graph,
    or one whose every load came from a generated world."""
    counts = " + ".join(f"COUNT {{ (:{lb}) }}" for lb in _DATA)  # labels: the vocabulary's
    recs, _, _ = driver.execute_query(
        template("notebook/data_provenance", COUNTS=counts),
        key=PROVENANCE_KEY, database_=database, routing_="r")
    nodes, real = int(recs[0]["nodes"]), recs[0]["real_data"]
    if nodes == 0:
        return True, ""
    if real is False:
        return True, ""
    why = ("it has taken feeds that are not a generated world" if real
           else "nothing records where its data came from")
    return False, (f"refusing to reset database {database!r} ({nodes} entities): {why}. The "
                   "notebooks load their own synthetic world and would erase it. Point "
                   "NEO4J_URI at an empty or test instance, or explore real data read-only "
                   "with graph_loader.notebook.read_only_driver(settings) instead of "
                   "prepare_world.")


class _ReadOnlyDriver:
    """A driver whose sessions and queries default to read access (the server rejects a
    write in a read transaction)."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver

    def session(self, **kw: Any) -> Any:
        kw["default_access_mode"] = "READ"
        return self._driver.session(**kw)

    def execute_query(self, query: Any, parameters: Any = None, **kw: Any) -> Any:
        kw["routing_"] = "r"
        return self._driver.execute_query(query, parameters, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


def read_only_driver(settings: Settings) -> Any:
    """A driver for exploring a real graph from a notebook without writing to it."""
    return _ReadOnlyDriver(make_driver(settings))


def prepare_world(settings: Settings, accounts: int = 3000, seed: int = 7, *,
                  progress: bool = False) -> NotebookWorld:
    """Start the managed Neo4j if needed, generate the world if missing, load it if the
    graph does not hold it yet; return the handles. The caller closes ``driver``."""
    from cypher.graph_schema import apply_schema, reset_data
    from fraudgraph.neo4j_server import Neo4jServer
    from generator.world import generate_world
    from graph_loader.load import load_directory

    if settings.managed:
        _, msg = Neo4jServer(settings).start()
        log.info(msg)
    world = world_dir_for(settings, accounts, seed)
    pseudo = Pseudonymiser(settings.pseudonym_key.get_secret_value())
    driver = make_driver(settings)
    db = settings.neo4j_database
    marker = world_marker(world, pseudo)
    try:
        driver.verify_connectivity()
        # Refused before anything is generated: a graph without this world's marker
        # cannot hold it, and would have to be reset.
        recs, _, _ = driver.execute_query(statement("notebook/world_marker"), key=MARKER_KEY,
                                          database_=db, routing_="r")
        if recs[0]["world"] != marker:
            allowed, why = may_replace(driver, db)
            if not allowed:
                raise NotebookRefused(why)
        if not (world / "truth" / "manifest.json").exists():
            log.info("generating %d accounts (seed %d) into %s", accounts, seed, world)
            generate_world(world, accounts=accounts, seed=seed, progress=progress)
        manifest = json.loads((world / "truth" / "manifest.json").read_text())
        fresh = not graph_holds(driver, db, marker, manifest)
        if fresh:
            # The notebooks' world replaces a generated one (the demo's, say), never
            # data of unknown or real origin.
            allowed, why = may_replace(driver, db)
            if not allowed:
                raise NotebookRefused(why)
            log.warning("replacing the graph in %s with world %s", db, world.name)
            reset_data(driver, db)  # also forgets the provenance of what it deleted
            apply_schema(driver, db)
            report = load_directory(driver, db, world, pseudo,
                                    rejects_path=world.parent / f"{world.name}-rejects.csv",
                                    progress=progress)
            log.info("loaded %d rows (%d rejected) in %.1f s", report.loaded, report.rejected,
                     report.seconds)
            driver.execute_query(statement("notebook/world_mark"), key=MARKER_KEY, world=marker,
                                 database_=db)
    except BaseException:
        driver.close()
        raise
    return NotebookWorld(driver, world, settings, pseudo, fresh)

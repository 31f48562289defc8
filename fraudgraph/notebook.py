"""The analyst notebooks' shared set-up: one small generated world, loaded once.

    world = prepare_world(notebook_settings(), accounts=3000, seed=7)
    world.driver, world.world_dir, world.truth_dir, world.pseudo, world.database

Generation and loading are skipped when their results are already there: the world's
files when its manifest exists, the load when a marker in the graph names this world
and this pseudonym key (a different world or key means the graph is reset and reloaded).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver

from fraudgraph.db import make_driver
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import REPO_ROOT, Settings, load_settings

log = logging.getLogger(__name__)

MARKER_KEY = "notebook_world"


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
        "OPTIONAL MATCH (m:Meta {key: $key}) "
        "RETURN m.world AS world, COUNT { (:Account) } AS accounts, "
        "COUNT { ()-[:TRANSFERRED]->() } AS transfers",
        key=MARKER_KEY, database_=database, routing_="r")
    r = recs[0]
    feeds = manifest.get("feeds", {})
    return (r["world"] == marker and r["accounts"] == feeds.get("accounts")
            and r["transfers"] == feeds.get("transfers"))


def prepare_world(settings: Settings, accounts: int = 3000, seed: int = 7, *,
                  progress: bool = False) -> NotebookWorld:
    """Start the managed Neo4j if needed, generate the world if missing, load it if the
    graph does not hold it yet; return the handles. The caller closes ``driver``."""
    from fraudgraph.neo4j_server import Neo4jServer
    from fraudgraph.schema import apply_schema, reset_data
    from graph_loader.generate.world import generate_world
    from graph_loader.load import load_directory

    if settings.managed:
        _, msg = Neo4jServer(settings).start()
        log.info(msg)
    world = world_dir_for(settings, accounts, seed)
    if not (world / "truth" / "manifest.json").exists():
        log.info("generating %d accounts (seed %d) into %s", accounts, seed, world)
        generate_world(world, accounts=accounts, seed=seed, progress=progress)
    pseudo = Pseudonymiser(settings.pseudonym_key.get_secret_value())
    driver = make_driver(settings)
    db = settings.neo4j_database
    marker = world_marker(world, pseudo)
    try:
        driver.verify_connectivity()
        manifest = json.loads((world / "truth" / "manifest.json").read_text())
        fresh = not graph_holds(driver, db, marker, manifest)
        if fresh:
            # The notebooks' world replaces whatever the graph held (the demo's, say).
            log.warning("replacing the graph in %s with world %s", db, world.name)
            reset_data(driver, db)
            apply_schema(driver, db)
            report = load_directory(driver, db, world, pseudo,
                                    rejects_path=world.parent / f"{world.name}-rejects.csv",
                                    progress=progress)
            log.info("loaded %d rows (%d rejected) in %.1f s", report.loaded, report.rejected,
                     report.seconds)
            driver.execute_query("MERGE (m:Meta {key: $key}) SET m.world = $world",
                                 key=MARKER_KEY, world=marker, database_=db)
    except BaseException:
        driver.close()
        raise
    return NotebookWorld(driver, world, settings, pseudo, fresh)

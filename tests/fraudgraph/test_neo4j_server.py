"""The project-managed server: lifecycle against a real Neo4j (a second, small instance)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from fraudgraph.db import make_driver
from fraudgraph.errors import Neo4jServerError
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.settings import REPO_ROOT, Settings


def test_session_server_is_neo4j_5(neo4j_driver: Driver) -> None:
    recs, _, _ = neo4j_driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
    )
    assert recs[0]["name"] == "Neo4j Kernel"
    assert int(recs[0]["versions"][0].split(".")[0]) >= 5
    assert recs[0]["edition"] == "community"


def test_apoc_is_loaded(neo4j_driver: Driver) -> None:
    recs, _, _ = neo4j_driver.execute_query("RETURN apoc.version() AS v")
    assert str(recs[0]["v"]).startswith("5.26")


def test_port_taken_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        cfg = Settings(var_dir=tmp_path, bolt_port=port, http_port=port + 1)
        with pytest.raises(Neo4jServerError, match="already in use"):
            Neo4jServer(cfg).start()


def test_lifecycle_keeps_data_and_reports_status(tmp_path: Path) -> None:
    cfg = Settings(
        var_dir=tmp_path / "var",
        dist_dir=REPO_ROOT / "var" / "dist",
        bolt_port=7689,
        http_port=7476,
        heap_size="512m",
        pagecache_size="128m",
    )
    server = Neo4jServer(cfg)
    try:
        started, msg = server.start()
        assert started and "started" in msg
        assert (cfg.password_file.stat().st_mode & 0o777) == 0o600
        again, msg2 = server.start()
        assert not again and "already running" in msg2
        drv = make_driver(cfg)
        drv.execute_query("CREATE (:Probe {v: 42})")
        drv.close()

        archive = server.class_archive(server.java())
        assert not archive.path.exists()  # a first run: the JVM dumps its classes at exit
        server.stop()
        assert not server.status().running
        assert archive.path.exists() and not archive.partial.exists()
        server.start()
        pid = server.status().pid
        assert pid is not None and archive.mapped_by(pid)  # the restart maps them
        drv = make_driver(cfg)
        recs, _, _ = drv.execute_query("MATCH (p:Probe) RETURN p.v AS v")
        drv.close()
        assert [r["v"] for r in recs] == [42]

        env = {
            "FRAUDGRAPH_VAR_DIR": str(cfg.var_dir),
            "FRAUDGRAPH_BOLT_PORT": "7689",
            "FRAUDGRAPH_HTTP_PORT": "7476",
            "PATH": "/usr/bin:/bin",
        }
        out = subprocess.run(
            [sys.executable, "-m", "fraudgraph", "neo4j", "status", "--json"],
            capture_output=True, text=True, env=env, check=True, cwd=REPO_ROOT,
        )
        st = json.loads(out.stdout)
        assert st["running"] is True
        assert st["uri"].endswith(":7689")
        assert st["user"] == "neo4j"
        assert st["password_file"] == str(cfg.password_file)
        assert st["version"].startswith("5.")
    finally:
        server.stop()
    assert not server.status().running

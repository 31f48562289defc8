"""The project-managed Neo4j Community server ("embedded" set-up).

Built from Neo4j's own artifacts on Maven Central (fraudgraph/maven/neo4j.pom.xml): Maven copies the
runtime classpath of ``org.neo4j.app:neo4j-server`` into ``var/dist``, and we run the same
entry point the official tarball's script runs, ``org.neo4j.server.CommunityEntryPoint``,
on the machine's JDK. Data, logs, the PID and the generated password live under
``<var_dir>/neo4j``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from fraudgraph.class_archive import ClassArchive, archive_key
from fraudgraph.errors import Neo4jServerError
from fraudgraph.processes import maven_copy, maven_pom, owned_pid, port_taken, tail, terminate
from fraudgraph.settings import Settings

log = logging.getLogger(__name__)

NEO4J_VERSION = "5.26.19"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"

# What Neo4j's own launcher passes (server.jvm.additional in the stock neo4j.conf).
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    uri: str | None
    user: str | None
    password_file: str | None
    version: str | None
    pid: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "running": self.running,
            "uri": self.uri,
            "user": self.user,
            "password_file": self.password_file,
            "version": self.version,
            "pid": self.pid,
        }


class Neo4jServer:
    """Build, start, stop and inspect the local server for one Settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.neo4j_home
        self.dist = settings.dist_dir / f"neo4j-{NEO4J_VERSION}"
        self.pid_file = self.home / "neo4j.pid"
        self.conf_dir = self.home / "conf"
        self.console_log = self.home / "logs" / "console.log"

    # ---------------------------------------------------------------- build
    @property
    def lib_dir(self) -> Path:
        return self.dist / "lib"

    @property
    def plugins_dir(self) -> Path:
        return self.dist / "plugins"

    def is_built(self) -> bool:
        return (self.dist / "BUILT").exists()

    def build(self, *, with_gds: bool = False) -> dict[str, object]:
        """Resolve the server and its plugins from Maven Central (idempotent).

        GDS 2.13 resolves from Maven Central, but its modules there lack the packaged
        extension that registers GDS's procedure facade, so the server refuses to start
        with them (ComponentInjectionException). It stays off unless asked for;
        communities and PageRank run in Python (igraph/leidenalg, scipy) instead.
        """
        if self.is_built():
            return self.build_info()
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jServerError("Maven (mvn) is not on PATH; it builds the Neo4j server")
        tmp = self.dist.with_name(self.dist.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "lib").mkdir(parents=True)
        (tmp / "plugins").mkdir()
        self._mvn_copy(mvn, maven_pom("neo4j"), tmp / "lib", [])
        gds = False
        if with_gds:
            try:
                self._mvn_copy(mvn, maven_pom("plugins"), tmp / "plugins", ["-Pgds"])
                gds = True
            except Neo4jServerError as e:
                log.warning("GDS did not resolve, building with APOC only: %s", e)
                shutil.rmtree(tmp / "plugins")
                (tmp / "plugins").mkdir()
        if not gds:
            self._mvn_copy(mvn, maven_pom("plugins"), tmp / "plugins", [])
        _drop_shadowed_jars(tmp / "lib", tmp / "plugins")
        (tmp / "BUILT").write_text(f"neo4j={NEO4J_VERSION}\ngds={gds}\n")
        shutil.rmtree(self.dist, ignore_errors=True)
        tmp.rename(self.dist)
        return self.build_info()

    def build_info(self) -> dict[str, object]:
        plugins = sorted(p.name for p in self.plugins_dir.glob("*.jar"))
        return {
            "neo4j": NEO4J_VERSION,
            "lib_jars": len(list(self.lib_dir.glob("*.jar"))),
            "apoc": any(p.startswith("apoc-core") for p in plugins),
            "gds": any(p.startswith("proc-2") for p in plugins),
            "dist": str(self.dist),
        }

    def _mvn_copy(self, mvn: str, pom: Path, out: Path, extra: list[str]) -> None:
        failed = maven_copy(mvn, pom, out, extra)
        if failed is not None:
            raise Neo4jServerError(f"maven failed for {pom}:\n{failed}")

    # ---------------------------------------------------------------- config
    def java(self) -> str:
        java_home = self.settings.java_home or (
            Path(os.environ["JAVA_HOME"]) if "JAVA_HOME" in os.environ else None
        )
        java = str(java_home / "bin" / "java") if java_home else shutil.which("java")
        if not java or not Path(java).exists():
            raise Neo4jServerError("no JDK found: install Java 17 or 21, or set JAVA_HOME")
        out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
        self._java_version = out.stderr + out.stdout
        m = re.search(r'version "(\d+)', self._java_version)
        major = int(m.group(1)) if m else 0
        if major not in (17, 21):
            raise Neo4jServerError(f"Neo4j {NEO4J_VERSION} needs Java 17 or 21, found {major}")
        return java

    def class_archive(self, java: str) -> ClassArchive:
        """This home's class archive, keyed by the JDK, the server's jars and the flags."""
        version = getattr(self, "_java_version", "")
        built = self.dist / "BUILT"
        jars = sorted(p.name for d in (self.lib_dir, self.plugins_dir) for p in d.glob("*.jar"))
        return ClassArchive(self.home / "run", archive_key([
            java, version, NEO4J_VERSION, built.read_text(), str(built.stat().st_mtime_ns),
            self.settings.heap_size, *JVM_FLAGS, *jars]))

    def write_config(self) -> Path:
        s = self.settings
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        conf = f"""# Written by fraudgraph; edit Settings (FRAUDGRAPH_*), not this file.
server.default_listen_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{s.bolt_port}
server.bolt.advertised_address=127.0.0.1:{s.bolt_port}
server.http.enabled=true
server.http.listen_address=127.0.0.1:{s.http_port}
server.https.enabled=false
server.directories.data={self.home / "data"}
server.directories.logs={self.home / "logs"}
server.directories.run={self.home / "run"}
server.directories.import={self.home / "import"}
server.directories.plugins={self.plugins_dir}
server.memory.pagecache.size={s.pagecache_size}
dbms.security.auth_enabled=true
dbms.security.procedures.unrestricted=apoc.*,gds.*
dbms.security.procedures.allowlist=apoc.*,gds.*
dbms.usage_report.enabled=false
db.tx_log.rotation.retention_policy=2 files
db.transaction.timeout=10m
"""
        path = self.conf_dir / "neo4j.conf"
        path.write_text(conf)
        return path

    # ---------------------------------------------------------------- lifecycle
    def pid(self) -> int | None:
        return owned_pid(self.pid_file, ENTRY_POINT.encode())

    def password(self) -> str | None:
        try:
            return self.settings.password_file.read_text().strip()
        except FileNotFoundError:
            return None

    def start(self) -> tuple[bool, str]:
        """Start and wait for Bolt. Returns (started_now, message)."""
        if (pid := self.pid()) is not None:
            return False, f"Neo4j is already running (pid {pid}) at {self.settings.local_uri}"
        port = self.settings.bolt_port
        for p in (port, self.settings.http_port):
            if port_taken(p):
                raise Neo4jServerError(
                    f"port {p} on 127.0.0.1 is already in use by another process; "
                    "set FRAUDGRAPH_BOLT_PORT / FRAUDGRAPH_HTTP_PORT to a free port"
                )
        java = self.java()
        if not self.is_built():
            log.info("building Neo4j %s from Maven Central", NEO4J_VERSION)
            self.build()
        self.write_config()
        self.console_log.parent.mkdir(parents=True, exist_ok=True)
        archive = (self.class_archive(java).jvm_flags()
                   if self.settings.neo4j_class_archive else [])
        cmd = [
            java,
            f"-Xms{self.settings.heap_size}",
            f"-Xmx{self.settings.heap_size}",
            *JVM_FLAGS,
            *archive,
            "-cp",
            # As Neo4j's own launcher does: plugins on the classpath too, so that their
            # kernel extensions (APOC's config, for one) register at start.
            f"{self.lib_dir}/*:{self.plugins_dir}/*",
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self.conf_dir}",
        ]
        t0 = time.monotonic()
        with open(self.console_log, "ab") as out:
            proc = subprocess.Popen(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.home,
                start_new_session=True,
            )
        self.pid_file.write_text(str(proc.pid))
        try:
            self._wait_for_bolt(proc)
            self._ensure_password()
            self._wait_for_database(t0)
        except BaseException:
            self.stop()
            raise
        took = time.monotonic() - t0
        return True, f"Neo4j {NEO4J_VERSION} started at {self.settings.local_uri} in {took:.1f}s"

    def _wait_for_bolt(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.settings.start_timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise Neo4jServerError(
                    f"Neo4j exited with code {proc.returncode} during start; "
                    f"see {self.console_log}:\n{tail(self.console_log)}"
                )
            if port_taken(self.settings.bolt_port):
                # Bolt accepts connections; authentication may still be warming up.
                with contextlib.suppress(ServiceUnavailable, OSError):
                    drv = GraphDatabase.driver(self.settings.local_uri, auth=("neo4j", "x"))
                    try:
                        drv.verify_connectivity()
                        return
                    except AuthError:
                        return
                    finally:
                        drv.close()
            time.sleep(0.5)
        raise Neo4jServerError(
            f"Neo4j did not answer on Bolt within {self.settings.start_timeout_s:.0f}s; "
            f"see {self.console_log}:\n{tail(self.console_log)}"
        )

    def _wait_for_database(self, t0: float) -> None:
        """Until the default database takes transactions. Bolt answers (and the password
        is set) a while before the database is online; "started" means usable, so that
        a caller timing its recovery from this point (an API, an on-call engineer) is
        not told of a server that still refuses every transaction. A transaction is
        begun and closed: BEGIN is answered only by an online database, and nothing
        runs."""
        pw = self.password()
        if pw is None:
            return
        deadline = t0 + self.settings.start_timeout_s
        drv = GraphDatabase.driver(self.settings.local_uri, auth=("neo4j", pw))
        try:
            while True:
                try:
                    with drv.session(database=self.settings.neo4j_database) as session:
                        session.begin_transaction().close()
                    return
                except ClientError as e:
                    if e.code == "Neo.ClientError.Database.DatabaseNotFound":
                        return  # nothing to wait for: whoever uses it will say so
                    raise
                except (ServiceUnavailable, SessionExpired, TransientError, OSError) as e:
                    if time.monotonic() > deadline:
                        raise Neo4jServerError(
                            f"database {self.settings.neo4j_database!r} did not come online "
                            f"within {self.settings.start_timeout_s:.0f}s ({e}); see "
                            f"{self.console_log}") from e
                    time.sleep(0.2)
        finally:
            drv.close()

    def _ensure_password(self) -> None:
        """First start: replace the expired initial password with a generated one."""
        pw_file = self.settings.password_file
        if pw_file.exists():
            return
        new = secrets.token_urlsafe(24)
        drv = GraphDatabase.driver(self.settings.local_uri, auth=("neo4j", "neo4j"))
        try:
            drv.execute_query(
                "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                old="neo4j",
                new=new,
                database_="system",
            )
        except Neo4jError as e:
            raise Neo4jServerError(
                f"could not set the initial password ({e.code}); the store at "
                f"{self.home / 'data'} belongs to another password file. "
                "Remove var/ or restore the password file."
            ) from e
        finally:
            drv.close()
        pw_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(new + "\n")

    def stop(self, timeout_s: float = 120.0) -> str:
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return "Neo4j is not running"
        # SIGTERM runs Neo4j's shutdown hook: a checkpoint and a clean store (and, on a
        # first run, the JVM's class archive is written at exit).
        clean = terminate(pid, timeout_s)
        self.pid_file.unlink(missing_ok=True)
        if self.is_built():
            self.class_archive(self.java()).settle(stopped_cleanly=clean)
        if not clean:
            raise Neo4jServerError(f"Neo4j (pid {pid}) did not stop in {timeout_s:.0f}s; killed")
        return f"Neo4j stopped (pid {pid})"

    def status(self) -> ServerStatus:
        pid = self.pid()
        if pid is None:
            return ServerStatus(False, None, None, None, None)
        version = None
        pw = self.password()
        if pw is not None:
            drv = GraphDatabase.driver(self.settings.local_uri, auth=("neo4j", pw))
            try:
                # The server's agent string ("Neo4j/5.26.19") from the Bolt handshake: the
                # base package holds no Cypher (that lives in cypher/, above it).
                agent = drv.get_server_info().agent
                version = agent.split("/", 1)[1] if "/" in agent else agent
            except (ServiceUnavailable, Neo4jError, OSError):
                version = None
            finally:
                drv.close()
        return ServerStatus(
            True,
            self.settings.local_uri,
            "neo4j",
            str(self.settings.password_file),
            version,
            pid,
        )


def _drop_shadowed_jars(lib: Path, plugins: Path) -> None:
    """Remove plugin jars whose artifact the server already has (any version)."""
    have = {_artifact(p.name) for p in lib.glob("*.jar")}
    for jar in plugins.glob("*.jar"):
        if _artifact(jar.name) in have:
            jar.unlink()


def _artifact(jar_name: str) -> str:
    m = re.match(r"^(.*?)-\d[\w.\-]*\.jar$", jar_name)
    return m.group(1) if m else jar_name

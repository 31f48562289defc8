"""The project-managed Apache Kafka broker (the live event stream's, graph_loader/stream.py).

Built like the Neo4j server (fraudgraph/neo4j_server.py): Maven copies the runtime
classpath of ``org.apache.kafka:kafka_2.13`` (fraudgraph/maven/kafka.pom.xml) into
``var/kafka-dist/kafka-<version>/libs``, and we run the entry point of the tarball's
``kafka-server-start.sh``, ``kafka.Kafka``, on the machine's JDK. One node in KRaft mode is
both broker and controller (no ZooKeeper); its storage is formatted once with
``kafka.tools.StorageTool`` under a cluster id kept next to it. Data, logs and the PID live
under ``<var_dir>/kafka``. With KAFKA_BOOTSTRAP_SERVERS set nothing here is used.
"""

from __future__ import annotations

import base64
import logging
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from fraudgraph.errors import KafkaServerError, Neo4jServerError
from fraudgraph.neo4j_server import Neo4jServer
from fraudgraph.processes import maven_copy, maven_pom, owned_pid, port_taken, tail, terminate
from fraudgraph.settings import Settings

log = logging.getLogger(__name__)

KAFKA_VERSION = "4.4.0"
ENTRY_POINT = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"

# What kafka-run-class.sh passes (KAFKA_JVM_PERFORMANCE_OPTS), less the GC logging.
JVM_FLAGS = [
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
]

LOG4J2 = """# Written by fraudgraph: the broker's log (console.log), warnings and up.
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
"""


@dataclass(frozen=True)
class KafkaStatus:
    running: bool
    bootstrap: str | None
    version: str | None
    pid: int | None = None
    topics: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"running": self.running, "bootstrap": self.bootstrap,
                "version": self.version, "pid": self.pid, "topics": self.topics}


class KafkaServer:
    """Build, start, stop and inspect the local broker for one Settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.kafka_home
        self.dist = settings.kafka_dist_dir / f"kafka-{KAFKA_VERSION}"
        self.pid_file = self.home / "kafka.pid"
        self.conf_dir = self.home / "conf"
        self.data_dir = self.home / "data"
        self.console_log = self.home / "logs" / "console.log"

    # ---------------------------------------------------------------- build
    @property
    def lib_dir(self) -> Path:
        return self.dist / "libs"

    def is_built(self) -> bool:
        return (self.dist / "BUILT").exists()

    def build(self) -> dict[str, object]:
        """Resolve the broker from Maven Central (idempotent)."""
        if not self.is_built():
            mvn = shutil.which("mvn")
            if mvn is None:
                raise KafkaServerError("Maven (mvn) is not on PATH; it builds the Kafka broker")
            tmp = self.dist.with_name(self.dist.name + ".partial")
            shutil.rmtree(tmp, ignore_errors=True)
            (tmp / "libs").mkdir(parents=True)
            failed = maven_copy(mvn, maven_pom("kafka"), tmp / "libs", [])
            if failed is not None:
                raise KafkaServerError(f"maven failed for {maven_pom('kafka')}:\n{failed}")
            (tmp / "BUILT").write_text(f"kafka={KAFKA_VERSION}\n")
            shutil.rmtree(self.dist, ignore_errors=True)
            tmp.rename(self.dist)
        return {"kafka": KAFKA_VERSION, "lib_jars": len(list(self.lib_dir.glob("*.jar"))),
                "dist": str(self.dist)}

    # ---------------------------------------------------------------- config
    def _java(self) -> str:
        try:
            # The same JDK look-up and version rule (17 or 21) as the Neo4j server's.
            return Neo4jServer(self.settings).java()
        except Neo4jServerError as e:
            raise KafkaServerError(f"the Kafka broker needs the same JDK: {e}") from e

    def write_config(self) -> Path:
        s = self.settings
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "logs"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        conf = f"""# Written by fraudgraph; edit Settings (FRAUDGRAPH_KAFKA_*), not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{s.kafka_controller_port}
listeners=PLAINTEXT://127.0.0.1:{s.kafka_port},CONTROLLER://127.0.0.1:{s.kafka_controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{s.kafka_port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs={self.data_dir}
num.partitions={s.kafka_partitions}
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=6000
log.retention.hours=168
num.network.threads=2
num.io.threads=2
"""
        path = self.conf_dir / "server.properties"
        path.write_text(conf)
        (self.conf_dir / "log4j2.properties").write_text(LOG4J2)
        return path

    def _format(self, java: str, conf: Path) -> None:
        """Format the KRaft storage once; the cluster id stays with the data."""
        if (self.data_dir / "meta.properties").exists():
            return
        id_file = self.home / "cluster.id"
        if not id_file.exists():
            id_file.write_text(
                base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=") + "\n")
        log4j = self.conf_dir / "log4j2.properties"
        cmd = [java, "-Xmx256m", f"-Dlog4j2.configurationFile={log4j}",
               "-cp", f"{self.lib_dir}/*", STORAGE_TOOL, "format", "--ignore-formatted",
               "-t", id_file.read_text().strip(), "-c", str(conf)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise KafkaServerError(
                f"formatting Kafka's storage failed:\n{(proc.stdout + proc.stderr)[-2000:]}")

    # ---------------------------------------------------------------- lifecycle
    def pid(self) -> int | None:
        return owned_pid(self.pid_file, ENTRY_POINT.encode() + b"\0")

    def start(self) -> tuple[bool, str]:
        """Start and wait until the broker answers a metadata request."""
        if (pid := self.pid()) is not None:
            return False, f"Kafka is already running (pid {pid}) at {self.settings.kafka_bootstrap}"
        s = self.settings
        for p in (s.kafka_port, s.kafka_controller_port):
            if port_taken(p):
                raise KafkaServerError(
                    f"port {p} on 127.0.0.1 is already in use by another process; "
                    "set FRAUDGRAPH_KAFKA_PORT / FRAUDGRAPH_KAFKA_CONTROLLER_PORT to a free port")
        java = self._java()
        if not self.is_built():
            log.info("building Kafka %s from Maven Central", KAFKA_VERSION)
            self.build()
        conf = self.write_config()
        self._format(java, conf)
        t0 = time.monotonic()
        cmd = [java, f"-Xms{s.kafka_heap_size}", f"-Xmx{s.kafka_heap_size}", *JVM_FLAGS,
               f"-Dlog4j2.configurationFile={self.conf_dir / 'log4j2.properties'}",
               f"-Dkafka.logs.dir={self.home / 'logs'}",
               "-cp", f"{self.lib_dir}/*", ENTRY_POINT, str(conf)]
        self.console_log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.console_log, "ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, cwd=self.home,
                                    start_new_session=True)
        self.pid_file.write_text(str(proc.pid))
        try:
            self._wait_for_broker(proc)
        except BaseException:
            self.stop()
            raise
        took = time.monotonic() - t0
        return True, f"Kafka {KAFKA_VERSION} started at {s.kafka_bootstrap} in {took:.1f}s"

    def _wait_for_broker(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.settings.start_timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise KafkaServerError(
                    f"Kafka exited with code {proc.returncode} during start; "
                    f"see {self.console_log}:\n{tail(self.console_log)}")
            if port_taken(self.settings.kafka_port) and self._topics(2.0) is not None:
                return
            time.sleep(0.3)
        raise KafkaServerError(
            f"Kafka did not answer within {self.settings.start_timeout_s:.0f}s; "
            f"see {self.console_log}:\n{tail(self.console_log)}")

    def _topics(self, timeout_s: float) -> int | None:
        """The number of topics the broker reports, or None when it does not answer."""
        from confluent_kafka import KafkaException
        from confluent_kafka.admin import AdminClient

        admin = AdminClient({"bootstrap.servers": self.settings.kafka_bootstrap,
                             "socket.timeout.ms": int(timeout_s * 1000)})
        try:
            md = admin.list_topics(timeout=timeout_s)
        except KafkaException:
            return None
        return len(md.topics) if md.brokers else None

    def stop(self, timeout_s: float = 60.0) -> str:
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return "Kafka is not running"
        # SIGTERM runs the broker's shutdown hook: logs flushed, a clean shutdown marker.
        if not terminate(pid, timeout_s):
            raise KafkaServerError(f"Kafka (pid {pid}) did not stop in {timeout_s:.0f}s; killed")
        self.pid_file.unlink(missing_ok=True)
        return f"Kafka stopped (pid {pid})"

    def status(self) -> KafkaStatus:
        pid = self.pid()
        if pid is None:
            return KafkaStatus(False, None, None)
        return KafkaStatus(True, self.settings.kafka_bootstrap, KAFKA_VERSION, pid,
                           self._topics(5.0))

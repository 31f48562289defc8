"""Running the project-managed servers (Neo4j, the Kafka broker) as child processes:
their PID files, ports, logs, Maven builds and clean stops, written once for both."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from importlib import resources
from pathlib import Path


def port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child still answers kill(0); reap it if it is ours.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def owned_pid(pid_file: Path, marker: bytes) -> int | None:
    """The PID in `pid_file` if that process runs and its command line holds `marker`
    (a PID reused after a reboot is not our server)."""
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    if not alive(pid):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return pid
    return pid if marker in cmdline else None


def terminate(pid: int, timeout_s: float) -> bool:
    """SIGTERM (the server's shutdown hook runs), then wait; SIGKILL after `timeout_s`.
    True when it stopped by itself."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.25)
    os.kill(pid, signal.SIGKILL)
    return False


def maven_pom(name: str) -> Path:
    """A Maven pom shipped with the package (fraudgraph/maven/<name>.pom.xml): package
    data, so a non-editable install builds its servers the same way a checkout does."""
    return Path(str(resources.files("fraudgraph").joinpath("maven", f"{name}.pom.xml")))


def maven_copy(mvn: str, pom: Path, out: Path, extra: list[str]) -> str | None:
    """Copy a pom's runtime classpath into `out`; None, or Maven's output tail on failure."""
    cmd = [mvn, "-q", "-B", "-f", str(pom), *extra, "dependency:copy-dependencies",
           "-DincludeScope=runtime", f"-DoutputDirectory={out}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return None if proc.returncode == 0 else (proc.stdout + proc.stderr)[-2000:]


def tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except FileNotFoundError:
        return "(no log)"

"""A JVM class-data-sharing archive for a project-run server (dynamic AppCDS, JDK 13+).

Why: a restarted Neo4j on a 2-core box spends its first seconds loading and verifying
some 20k classes, so its first answers (a lone ``RETURN 1``, the API's first check) are
slow for seconds after Bolt opens (issue 16's outage target). The JVM can map the
classes an earlier run loaded from an archive instead.

How: a start with no archive asks the JVM to write one at exit
(``-XX:ArchiveClassesAtExit``, into a ``.partial`` file); a clean stop makes it the
archive; a later start maps it (``-XX:SharedArchiveFile``). The file's name carries a
key of everything the archive depends on (the JDK, the jars, the flags), so a changed
JDK or rebuilt server writes a new one instead of silently running without. With
``-Xshare:auto`` (the default) a JVM that cannot use an archive still starts, without it.
JDK 19's ``-XX:+AutoCreateSharedArchive`` does all this itself; the project runs on 17.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "classes-"


class ClassArchive:
    """The archive of one server home, for one key (see `key`)."""

    def __init__(self, run_dir: Path, key: str) -> None:
        self.run_dir = run_dir
        self.path = run_dir / f"{PREFIX}{key}.jsa"
        self.partial = run_dir / f"{PREFIX}{key}.jsa.partial"

    def jvm_flags(self) -> list[str]:
        """Flags for the next start: use the archive, or write one at exit."""
        if self.path.exists():
            return [f"-XX:SharedArchiveFile={self.path}", "-Xshare:auto"]
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.partial.unlink(missing_ok=True)
        return [f"-XX:ArchiveClassesAtExit={self.partial}"]

    def settle(self, *, stopped_cleanly: bool) -> bool:
        """After the server process has gone: keep a dump written by a clean exit (and
        drop archives of other keys); drop one a killed process may have left half
        written. True when a new archive was kept."""
        if not self.partial.exists():
            return False
        if not stopped_cleanly or self.partial.stat().st_size == 0:
            self.partial.unlink(missing_ok=True)
            return False
        self.partial.replace(self.path)
        for old in self.run_dir.glob(f"{PREFIX}*.jsa"):
            if old != self.path:
                old.unlink(missing_ok=True)
        log.info("class archive written: %s (%.0f MB)", self.path,
                 self.path.stat().st_size / 1e6)
        return True

    def mapped_by(self, pid: int) -> bool:
        """Whether the process maps this archive (Linux /proc; False where unknown)."""
        try:
            maps = Path(f"/proc/{pid}/maps").read_text()
        except OSError:
            return False
        return str(self.path) in maps


def archive_key(parts: Iterable[str]) -> str:
    """A short stable key of what an archive was made with."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]

"""Append-only audit trail: one JSON line per request in <dir>/audit-YYYY-MM-DD.jsonl
(UTC date, so the file rotates daily). Requests only append a small dict to a deque; a
background thread drains it a few times a second, so the hot path neither waits on the
disk nor wakes a thread per request. Events carry key ids, roles,
route templates and pseudonyms, never a raw identifier or a key."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import deque
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

_STOP = object()


class AuditLog:
    def __init__(self, directory: Path, *, interval_s: float = 0.2) -> None:
        self.directory = directory
        self.interval_s = interval_s
        self._pending: deque[Any] = deque()  # append/popleft are thread-safe
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._fh: IO[str] | None = None
        self._day: str | None = None
        self.written = 0

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def record(self, event: dict[str, Any]) -> None:
        """Enqueue one event; `event['ts']` is an ISO-8601 UTC timestamp."""
        self._pending.append(event)

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every event recorded before this call is on disk."""
        done = threading.Event()
        self._pending.append(done)
        self._wake.set()
        done.wait(timeout)

    def close(self) -> None:
        """Write everything recorded so far, then stop."""
        if self._thread is None:
            return
        self._pending.append(_STOP)
        self._wake.set()
        self._thread.join(timeout=10)
        self._thread = None

    def path_for(self, day: str) -> Path:
        return self.directory / f"audit-{day}.jsonl"

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(self.interval_s)
                self._wake.clear()
                stop = False
                while self._pending:
                    ev = self._pending.popleft()
                    if ev is _STOP:
                        stop = True
                    elif isinstance(ev, threading.Event):
                        self._flush_file()
                        ev.set()
                    else:
                        self._write(ev)
                self._flush_file()
                if stop:
                    return
        finally:
            if self._fh is not None:
                self._fh.close()
                self._fh = None

    def _write(self, event: dict[str, Any]) -> None:
        day = str(event.get("ts", ""))[:10] or "unknown"
        try:
            if day != self._day or self._fh is None:
                if self._fh is not None:
                    self._fh.close()
                path = self.path_for(day)
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
                self._fh = os.fdopen(fd, "a", encoding="utf-8")
                self._day = day
            self._fh.write(json.dumps(event, separators=(",", ":"), default=str) + "\n")
            self.written += 1
        except OSError:
            # The API keeps serving; the operator sees the failure in the log.
            log.exception("audit: cannot write event")

    def _flush_file(self) -> None:
        if self._fh is not None:
            try:
                self._fh.flush()
            except OSError:
                log.exception("audit: cannot flush")

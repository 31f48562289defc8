"""The audit writer on its own: append-only JSON lines, one file per UTC day."""

from __future__ import annotations

import json
from pathlib import Path

from api.audit import AuditLog


def test_events_land_in_daily_files_and_nothing_is_lost(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, interval_s=0.05)
    log.start()
    (tmp_path / "audit-2026-03-01.jsonl").write_text('{"old": true}\n')
    for i in range(500):
        log.record({"ts": f"2026-03-0{1 + i % 2}T10:00:00+00:00", "n": i})
    log.flush()
    log.record({"ts": "2026-03-02T23:59:59+00:00", "n": 500})
    log.close()
    day1 = (tmp_path / "audit-2026-03-01.jsonl").read_text().splitlines()
    day2 = (tmp_path / "audit-2026-03-02.jsonl").read_text().splitlines()
    assert day1[0] == '{"old": true}'  # appended, never rewritten
    ns = sorted(json.loads(x)["n"] for x in day1[1:] + day2)
    assert ns == list(range(501))
    assert log.written == 501

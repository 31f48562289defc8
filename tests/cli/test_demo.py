"""The demo's summary from its steps' reports (no server needed)."""

from __future__ import annotations

import json
from pathlib import Path

from cli.demo import summarise


def test_summary_alerts_block_is_propagates_alert_run(tmp_path: Path) -> None:
    # propagate's report carries its alert run (casework.hooks.summary) under "alerts".
    alert_run = {"run_id": "arun_x", "as_of": 1, "raised": 3, "updated": 4, "merged": 4,
                 "suppressed": 1, "stale": 0}
    (tmp_path / "propagate.json").write_text(json.dumps(
        {"entities_written": 10, "bands": [], "alerts": alert_run}))
    (tmp_path / "load.json").write_text(json.dumps({"totals": {"read": 5}}))
    summary = summarise(tmp_path, tmp_path / "world", {"propagate": 1.0})
    assert summary["alerts"] == alert_run
    assert summary["propagation"] == {"entities_written": 10, "bands": []}
    assert summary["load"]["totals"] == {"read": 5}
    assert summary["reports"] == ["load.json", "propagate.json"]


def test_summary_without_reports(tmp_path: Path) -> None:
    summary = summarise(tmp_path, tmp_path / "world", {})
    assert summary["alerts"] is None and summary["propagation"] is None

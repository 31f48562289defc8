"""The API's configuration is the `api` section of the one Settings (fraudgraph/settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.app import create_app
from api.config import ApiConfig
from fraudgraph.settings import Settings, load_settings


def test_create_app_takes_the_api_section_of_the_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("FRAUDGRAPH_API_RETRY_AFTER_S=11\n"
                                   "FRAUDGRAPH_CHECK_REVIEW_SCORE=0.4\n")
    for name in ("FRAUDGRAPH_API_RETRY_AFTER_S", "FRAUDGRAPH_CHECK_REVIEW_SCORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    app = create_app(s)  # connects nothing until it starts
    assert app.state.config is s.api
    assert app.state.config.retry_after_s == 11 and app.state.config.check.review_score == 0.4


def test_a_config_handed_over_wins(settings: Settings, tmp_path: Path) -> None:
    config = ApiConfig(audit_dir=tmp_path, retry_after_s=7, check_timeout_s=2.0)
    assert create_app(settings, config=config).state.config is config

"""Timestamps as text: integers and zoned ISO-8601 times, never a zone-less one."""

from __future__ import annotations

import pytest

from fraudgraph.timestamps import epoch_seconds


def test_integer_and_zoned_times_give_the_same_instant() -> None:
    assert epoch_seconds("1777680000") == 1777680000
    assert epoch_seconds(" 2026-05-02T00:00:00Z ") == 1777680000
    assert epoch_seconds("2026-05-02T05:00:00+05:00") == 1777680000


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no zone"):
        epoch_seconds("2026-05-02T00:00:00")

"""Timestamps given as text by a person or a file (a `--as-of`, a truth file's times):
epoch seconds from an integer or an ISO-8601 time with its zone. A time without a zone
is refused: read as local time it would move by the machine's offset."""

from __future__ import annotations

import re
from datetime import datetime


def epoch_seconds(text: str) -> int:
    """Epoch seconds from an integer or an ISO-8601 timestamp with a zone (ValueError
    otherwise)."""
    s = text.strip()
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no zone")
    return int(dt.timestamp())

"""Keyed pseudonyms for personal identifiers (HMAC-SHA256).

Raw IINs, phone numbers, IBANs/card numbers and device ids never pass this point: the
loader, the API and the reports see only pseudonyms such as ``acc_3f9c...``. The same
raw value (after normalisation) always maps to the same pseudonym under one key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Literal

EntityKind = Literal["account", "person", "phone", "device", "ip"]

PREFIX: dict[str, str] = {
    "account": "acc",
    "person": "per",
    "phone": "pho",
    "device": "dev",
    "ip": "ip",
}
PSEUDONYM_RE = re.compile(r"^(acc|per|pho|dev|ip)_[0-9a-f]{32}$")

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NON_DIGIT = re.compile(r"\D")


def normalise(kind: str, raw: str) -> str:
    """Canonical form, so that '+7 701 123 45 67' and '87011234567' are one phone."""
    value = raw.strip()
    if kind == "account":
        return _NON_ALNUM.sub("", value).upper()
    if kind == "person":
        return _NON_DIGIT.sub("", value)
    if kind == "phone":
        digits = _NON_DIGIT.sub("", value)
        if len(digits) == 11 and digits[0] == "8":
            digits = "7" + digits[1:]
        return digits
    return value


def is_pseudonym(value: str) -> bool:
    return bool(PSEUDONYM_RE.match(value))


class Pseudonymiser:
    """HMAC-SHA256 under one secret key; cheap enough for millions of rows."""

    def __init__(self, key: str | bytes) -> None:
        if not key:
            raise ValueError("pseudonym key must not be empty")
        self._key = key.encode() if isinstance(key, str) else key
        self._proto = hmac.new(self._key, digestmod=hashlib.sha256)

    def __call__(self, kind: str, raw: str) -> str:
        h = self._proto.copy()
        h.update(kind.encode())
        h.update(b"\x00")
        h.update(normalise(kind, raw).encode())
        return f"{PREFIX[kind]}_{h.hexdigest()[:32]}"

    def resolve(self, kind: str, value: str) -> str:
        """Accept a raw identifier or a pseudonym of this kind; return the pseudonym."""
        if is_pseudonym(value):
            return value
        return self(kind, value)


# Free text (list reasons, incident notes) may quote identifiers; these patterns catch the
# shapes of KZ IBANs, card numbers, phones and IINs so that none reaches the graph raw.
_TEXT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("account", re.compile(r"\bKZ\d{2}[0-9A-Z]{16}\b", re.IGNORECASE)),
    ("account", re.compile(r"\b(?:\d[ -]?){15}\d\b")),  # 16-digit card numbers
    ("phone", re.compile(r"(?:\+7|\b8)[\s\-(]*7\d{2}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}\b")),
    ("person", re.compile(r"\b\d{12}\b")),
]


def scrub_text(text: str, pseudo: Pseudonymiser) -> str:
    """Replace identifier-shaped substrings of free text by their pseudonyms."""
    for kind, pattern in _TEXT_PATTERNS:
        text = pattern.sub(lambda m, k=kind: pseudo(k, m.group(0)), text)  # type: ignore[misc]
    return text

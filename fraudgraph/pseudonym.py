"""Keyed pseudonyms for personal identifiers (HMAC-SHA256).

Raw IINs, phone numbers, IBANs/card numbers and device ids never pass this point: the
loader, the API and the reports see only pseudonyms such as ``acc_3f9c...``. The same
raw value (after normalisation) always maps to the same pseudonym under one key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable
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
        if value.startswith("+") and not digits.startswith("7"):
            # Another zone in E.164 (graph_loader.fields.phone): its leading 8 is a
            # country code (+81, +86), not the domestic trunk prefix.
            return "+" + digits
        if len(digits) == 11 and digits[0] == "8":
            digits = "7" + digits[1:]
        return digits
    if kind == "device":
        return " ".join(value.split())  # a fingerprint's inner spaces, written loosely
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


# Free text (list reasons, incident notes) may quote identifiers in any written form:
# grouped ("KZ86 125K ZT50 ..."), glued to a word ("ИИН910705484862"), with any separator,
# in non-ASCII digits. One alternation scans the text once, so a pseudonym put in is never
# scanned again; `\d` is deliberately Unicode here (digits are folded to ASCII before
# hashing, so a fullwidth IIN gets the pseudonym of the ASCII one). Digit runs are bounded
# by (?<!\d) / (?!\d) rather than \b, which fails between a Cyrillic letter and a digit.
_SEP = r"[\s\-./_]?"
_SCRUB = re.compile(
    "|".join([
        r"(?P<pseudonym>\b(?:acc|per|pho|dev|ip)_[0-9a-f]{32}\b)",
        rf"(?P<account>(?i:KZ){_SEP}\d{_SEP}\d(?:{_SEP}[0-9A-Za-z]){{16}})",
        r"(?P<uuid>\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b)",
        r"(?P<ipv4>(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.]*\d))",
        r"(?P<ipv6>(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:]))",
        # Device fingerprints: a hex run of 12+ with at least one digit, optionally after
        # a short prefix ("and-0123456789abcdef"), the shape of Android ids and app ids.
        r"(?P<device>(?<![0-9A-Za-z])(?:[A-Za-z]{2,8}[-_:])?"
        r"(?=[0-9A-Fa-f]*\d)(?=[0-9A-Fa-f]*[A-Fa-f])[0-9A-Fa-f]{12,64}(?![0-9A-Za-z]))",
        rf"(?P<phone>(?:\+\s*7|(?<![\d+])[78])(?:[\s\-().]{{0,2}}\d){{10}}(?!{_SEP}\d))",
        # 13-19 digits: card numbers (and 15-digit IMEIs); 12: an IIN.
        rf"(?P<card>(?<!\d)\d(?:{_SEP}\d){{12,18}}(?!{_SEP}\d))",
        rf"(?P<person>(?<!\d)\d(?:{_SEP}\d){{11}}(?!{_SEP}\d))",
    ]))


def _ascii_digits(s: str) -> str:
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c
                   for c in s)


def _replace(m: re.Match[str], pseudo: Pseudonymiser) -> str:
    kind, text = m.lastgroup or "", m.group(0)
    if kind == "pseudonym":
        return text
    if kind in ("ipv4", "ipv6"):
        try:
            return pseudo("ip", str(ipaddress.ip_address(_ascii_digits(text))))
        except ValueError:
            return text  # a time such as 10:00:00, or a version number
    if kind in ("uuid", "device"):
        return pseudo("device", text)
    if kind == "card":
        return pseudo("account", _ascii_digits(text))
    return pseudo(kind, _ascii_digits(text))


def scrub_text(text: str, pseudo: Pseudonymiser,
               known: Iterable[tuple[str, str]] = (),
               is_device: Callable[[str], bool] | None = None) -> str:
    """Replace identifier-shaped substrings of free text by their pseudonyms.

    `known`: (kind, raw) identifiers that the text is likely to quote (the entity a list
    entry is about), replaced wherever they appear whatever their shape. `is_device`:
    whether a pseudonym is a known device's, to find device ids of any shape among the
    text's words (fingerprints have no shape a pattern could know)."""
    for kind, raw in known:
        if raw and kind == "device":
            text = re.sub(re.escape(normalise(kind, raw)).replace(r"\ ", r"\s+"),
                          pseudo(kind, raw), text, flags=re.IGNORECASE)
    text = _SCRUB.sub(lambda m: _replace(m, pseudo), text)
    if is_device is not None:
        text = _scrub_known_devices(text, pseudo, is_device)
    return text


_WORD = re.compile(r"[^\s,;()\[\]{}<>\"']+")


def _scrub_known_devices(text: str, pseudo: Pseudonymiser,
                         is_device: Callable[[str], bool]) -> str:
    # Windows of up to three words, so that a fingerprint with spaces is found too.
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    hits: list[tuple[int, int]] = []
    for i in range(len(words)):
        for j in range(min(len(words), i + 3) - 1, i - 1, -1):
            a, b = words[i][0], words[j][1]
            cand = text[a:b].rstrip(".:")
            if not is_pseudonym(cand) and is_device(pseudo("device", cand)):
                hits.append((a, a + len(cand)))
                break
    out, pos = [], 0
    for a, b in hits:
        if a < pos:
            continue
        out += [text[pos:a], pseudo("device", text[a:b])]
        pos = b
    return "".join([*out, text[pos:]])

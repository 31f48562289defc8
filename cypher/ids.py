"""Entity ids typed by people: pseudonyms pass through, raw identifiers get pseudonymised.

`kind:value` names the kind explicitly (`device:` is needed for raw device ids, whose
shape says nothing). Otherwise the shape decides: a KZ IBAN is an account, 12 digits an
IIN, a +7 number a phone. Anything else (incident and list entry ids, bank codes) is
passed through as it is, since those are not personal identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cypher.params import ParamSpec
from fraudgraph.pseudonym import PREFIX, Pseudonymiser, is_pseudonym

_IBAN = re.compile(r"^KZ\d{2}[0-9A-Z]{16}$", re.IGNORECASE)
_IIN = re.compile(r"^\d{12}$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-()]+$")


def guess_kind(raw: str) -> str | None:
    s = raw.strip()
    if _IBAN.match(s.replace(" ", "")):
        return "account"
    if _IIN.match(s):
        return "person"
    if _PHONE_CHARS.match(s):
        digits = re.sub(r"\D", "", s)
        if len(digits) == 11 and digits[0] in "78" and digits[1] == "7":
            return "phone"
    return None


def resolve_id(text: str, pseudo: Pseudonymiser) -> str:
    s = text.strip()
    if is_pseudonym(s):
        return s
    kind, sep, value = s.partition(":")
    if sep and kind in PREFIX and kind != "ip":
        return pseudo.resolve(kind, value)
    guessed = guess_kind(s)
    return pseudo(guessed, s) if guessed else s


def resolve_id_params(specs: Mapping[str, ParamSpec], values: Mapping[str, Any],
                      pseudo: Pseudonymiser) -> dict[str, Any]:
    """The values with every id / list[id] parameter resolved to pseudonyms."""
    out = dict(values)
    for name, v in values.items():
        spec = specs.get(name)
        if spec is None or v is None:
            continue
        if spec.type == "id" and isinstance(v, str):
            out[name] = resolve_id(v, pseudo)
        elif spec.type == "list[id]" and isinstance(v, list):
            out[name] = [resolve_id(x, pseudo) if isinstance(x, str) else x for x in v]
    return out

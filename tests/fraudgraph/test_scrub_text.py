"""Free-text scrubbing finds identifiers in the forms people write them (issue 15):
grouped, glued to words, with any separator, in non-ASCII digits; IPs and device ids."""

from __future__ import annotations

import re

import pytest

from fraudgraph.pseudonym import Pseudonymiser, is_pseudonym, scrub_text
from tests.graph_loader.conftest import kz_iban

P = Pseudonymiser("k")
IBAN = kz_iban("125", 7)
IIN = "910705484862"
PHONE = "77011234567"
DEVICE = "and-0123456789abcdef"


def grouped(s: str, n: int = 4, sep: str = " ") -> str:
    return sep.join(s[i:i + n] for i in range(0, len(s), n))


@pytest.mark.parametrize("text,kind,raw", [
    (f"paid to {IBAN}", "account", IBAN),
    (f"paid to {grouped(IBAN)}", "account", IBAN),
    (f"paid to {grouped(IBAN, sep='-')}", "account", IBAN),
    (f"paid to {IBAN.lower()}.", "account", IBAN),
    (f"счёт{IBAN}", "account", IBAN),
    (f"ИИН{IIN}", "person", IIN),
    (f"IIN:{IIN}, mule", "person", IIN),
    (f"ИИН {IIN[:6]} {IIN[6:]}", "person", IIN),
    (f"iin {grouped(IIN, 3, '-')}", "person", IIN),
    ("ИИН" + IIN.translate(str.maketrans("0123456789", "０１２３４５６７８９")), "person", IIN),
    ("called from +7 (701) 123-45-67", "phone", PHONE),
    ("called from 8 701 123 45 67", "phone", PHONE),
    ("called from +77011234567", "phone", PHONE),
    ("called from 77011234567", "phone", PHONE),
    ("тел.87011234567.", "phone", PHONE),
    ("card 4400 4301 2345 6789 blocked", "account", "4400430123456789"),
    ("from 10.1.2.3, again", "ip", "10.1.2.3"),
    ("from 2001:db8::1 at night", "ip", "2001:db8::1"),
    (f"device {DEVICE} shared", "device", DEVICE),
    ("idfv 3F2504E0-4F89-11D3-9A0C-0305E82C3301", "device",
     "3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
])
def test_identifier_forms_are_replaced_by_the_entitys_pseudonym(text: str, kind: str,
                                                                 raw: str) -> None:
    out = scrub_text(text, P)
    assert P(kind, raw) in out, out
    digits = re.sub(r"\D", "", raw)
    assert len(digits) < 8 or digits not in re.sub(r"\D", "", out.replace(P(kind, raw), "")), out


def test_ordinary_text_and_pseudonyms_are_left_alone() -> None:
    text = ("case 17, 3 transfers of 150 000 KZT on 2026-03-01 10:00:00, ref acc_"
            + "0" * 32 + " v1.2.3")
    assert scrub_text(text, P) == text


def test_the_entity_a_text_is_about_is_found_whatever_its_shape() -> None:
    fp = "Mozilla/5.0 fp:77aa"
    out = scrub_text(f"same browser {fp} as before", P, known=(("device", fp),))
    assert fp not in out and P("device", fp) in out


def test_known_devices_are_found_among_the_words() -> None:
    known = {P("device", "dev-a"), P("device", "web fp 1")}
    out = scrub_text("seen on dev-a, and on web fp 1.", P, is_device=known.__contains__)
    assert "dev-a" not in out and "web fp 1" not in out
    assert out.count("dev_") == 2 and all(
        is_pseudonym(w.strip(",.")) for w in out.split() if w.startswith("dev_"))

"""The workbench's message catalogue is complete: every message the pages look up (`t("…")`
in the modules, `data-i18n` in index.html) has its Kazakh and Russian text, and no label
is an English sentence built outside `t`. Read from the sources (Node for the catalogue
module); no server, no browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from api.ui import STATIC_DIR

JS = STATIC_DIR / "js"
# t("…") or tr("…") (trace.js names it tr: `t` is a trace there), first argument a literal.
_T_CALL = re.compile(r"""\b(?:t|tr)\(\s*("(?:[^"\\]|\\.)*")""")
_ATTR = re.compile(r'data-i18n="([^"]*)"|data-i18n-attr="[a-z-]+:([^"]*)"')
# An English label or status line assembled from a template literal, not looked up.
_RAW = re.compile(r"""(?:\btext|"aria-label"|\btitle|\bplaceholder): `[A-Za-z]|\bsay\(`[A-Za-z]""")


def _catalogue() -> dict[str, list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH (make setup installs it for the workbench build)")
    script = (f"import({json.dumps((JS / 'messages.js').as_uri())}).then((m) => "
              "console.log(JSON.stringify(Object.fromEntries(Object.entries(m.CATALOGUE)"
              ".map(([k, v]) => [k, Object.keys(v)])))))")
    out = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                         text=True, check=True, timeout=60)
    return {k: list(v) for k, v in json.loads(out.stdout).items()}


def _used() -> dict[str, str]:
    used: dict[str, str] = {}
    for path in sorted(JS.glob("*.js")):
        if path.name == "messages.js":
            continue
        for m in _T_CALL.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(json.loads(m.group(1)), path.name)
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for m in _ATTR.finditer(html):
        used.setdefault((m.group(1) or m.group(2)).replace("&amp;", "&"), "index.html")
    return used


def test_every_message_has_kazakh_and_russian() -> None:
    catalogue = _catalogue()
    used = _used()
    assert len(used) > 150  # the extraction found the pages' messages
    for lang in ("kk", "ru"):
        missing = sorted(f"{where}: {msg}" for msg, where in used.items()
                         if msg not in set(catalogue[lang]))
        assert missing == [], f"{lang}: {missing}"


def test_no_label_is_english_built_outside_the_catalogue() -> None:
    raw = [f"{path.name}:{n}: {line.strip()[:90]}"
           for path in sorted(JS.glob("*.js")) if path.name != "messages.js"
           for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
           if _RAW.search(line)]
    assert raw == []


def test_the_checks_would_see_a_raw_label() -> None:
    assert _RAW.search('h("h3", { text: `Cluster ${c.id}` })')
    assert _RAW.search("say(`Running ${q.name}…`);")
    assert not _RAW.search('h("h3", { text: t("Cluster {id}", { id: c.id }) })')
    assert [json.loads(m.group(1)) for m in _T_CALL.finditer('tr("Hop {n}", { n }), t("a\\"b")')] \
        == ["Hop {n}", 'a"b']

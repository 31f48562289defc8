"""No raw personal identifier anywhere fraudgraph writes: after a small demo-like run
(generate, load, detect, propagate, API calls), every graph property, log record, audit
line, report, rejects file and API response is scanned for every raw IIN, phone (as sent
and normalised), IBAN, device id and IP of the input feeds."""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.config import ApiConfig
from api.keys import create_key
from cypher.detect import detect
from cypher.graph_schema import reset_data
from fraudgraph.pseudonym import Pseudonymiser
from fraudgraph.settings import Settings
from generator.world import generate_world
from gnn.propagation.engine import PropagationEngine
from graph_loader.load import load_directory

ACCOUNTS = 3000
_IBAN = re.compile(r"KZ\d{2}[0-9A-Z]{16}", re.IGNORECASE)
_DIGITS = re.compile(r"\d{11,}")
_PHONE_TEXT = re.compile(r"(?:\+7|\b8)[\s\-(]*7\d{2}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}")
_DEVICE = re.compile(r"[a-z]{3}-[0-9a-f]{16}")
_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def norm_phone(s: str) -> str:
    d = re.sub(r"\D", "", s)
    return "7" + d[1:] if len(d) == 11 and d[0] in "78" else d


class Identifiers:
    """The raw identifiers of a feed directory, and a scan that finds them in text."""

    def __init__(self, feeds: Path) -> None:
        self.ibans: set[str] = set()
        self.iins: set[str] = set()
        self.phones: set[str] = set()  # normalised 11 digits
        self.devices: set[str] = set()
        self.ips: set[str] = set()
        cols = {"iban": self.ibans, "from_iban": self.ibans, "to_iban": self.ibans,
                "victim_iban": self.ibans, "holder_iin": self.iins, "number": self.phones,
                "caller": self.phones, "callee": self.phones, "caller_phone": self.phones,
                "device_id": self.devices, "ip": self.ips}
        for path in sorted(feeds.glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    for col, value in row.items():
                        if not value:
                            continue
                        if col == "beneficiary_ibans":
                            self.ibans.update(v.strip() for v in value.split(";"))
                        elif col == "entity_id":
                            self._add_entity(row["entity_kind"], value)
                        elif col in cols:
                            cols[col].add(norm_phone(value) if cols[col] is self.phones
                                          else value.strip().upper()
                                          if cols[col] is self.ibans else value.strip())

    def _add_entity(self, kind: str, value: str) -> None:
        {"account": self.ibans, "person": self.iins, "phone": self.phones,
         "device": self.devices}[kind].add(
            norm_phone(value) if kind == "phone" else value.strip())

    def counts(self) -> dict[str, int]:
        return {"iban": len(self.ibans), "iin": len(self.iins), "phone": len(self.phones),
                "device": len(self.devices), "ip": len(self.ips)}

    def find(self, text: str) -> set[str]:
        """Raw identifiers in `text` (substring semantics, found through their shapes)."""
        hits = {m.upper() for m in _IBAN.findall(text)} & self.ibans
        for run in _DIGITS.findall(text):
            for n, pool in ((12, self.iins), (11, self.phones)):
                hits |= {run[i:i + n] for i in range(len(run) - n + 1)} & pool
        hits |= {norm_phone(m) for m in _PHONE_TEXT.findall(text)} & self.phones
        hits |= set(_DEVICE.findall(text)) & self.devices
        hits |= set(_IP.findall(text)) & self.ips
        return hits


def graph_text(driver: Driver, db: str) -> Iterable[str]:
    """Every property value of every node and relationship, as text."""
    for q in ("MATCH (n) RETURN labels(n) AS k, properties(n) AS p",
              "MATCH ()-[r]->() RETURN type(r) AS k, properties(r) AS p"):
        with driver.session(database=db) as s:
            for rec in s.run(q):
                yield json.dumps([rec["k"], rec["p"]], default=str, ensure_ascii=False)


@pytest.fixture
def scanned(graph: Driver, db: str, settings: Settings, pseudo: Pseudonymiser,
            tmp_path: Path, caplog: pytest.LogCaptureFixture) -> dict[str, str]:
    """The whole run; returns {source name: text} of everything it wrote."""
    caplog.set_level(logging.DEBUG)
    reset_data(graph, db)
    feeds = tmp_path / "world"
    generate_world(feeds, accounts=ACCOUNTS, seed=3, progress=False)
    out: dict[str, str] = {}
    rep = load_directory(graph, db, feeds, pseudo, rejects_path=tmp_path / "rejects.csv",
                         progress=False)
    assert all(f.reconciles for f in rep.files) and rep.loaded > 0
    out["load report"] = json.dumps(rep.as_dict(), ensure_ascii=False)
    out["rejects file"] = (tmp_path / "rejects.csv").read_text(encoding="utf-8")
    det = detect(graph, db, progress=False)
    out["detect report"] = json.dumps(det.as_dict(), default=str, ensure_ascii=False)
    engine = PropagationEngine.build(graph, db)
    assert engine.write_back() > 0
    ids = Identifiers(feeds)
    responses = api_calls(graph, db, settings, engine, feeds, tmp_path / "audit")
    out["api responses"] = "\n".join(responses)
    out["audit"] = "\n".join(p.read_text(encoding="utf-8")
                             for p in sorted((tmp_path / "audit").rglob("*")) if p.is_file())
    # The test client's own request log (httpx) holds the URLs this test sent: the
    # client's side, not fraudgraph's. Everything else fraudgraph logged is scanned.
    own = [r for r in caplog.records if not r.name.startswith("httpx")]
    out["logs"] = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in own)
    out["graph"] = "\n".join(graph_text(graph, db))
    out["_ids"] = json.dumps(ids.counts())
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def api_calls(driver: Driver, db: str, settings: Settings, engine: PropagationEngine,
              feeds: Path, audit_dir: Path) -> list[str]:
    """A handful of real calls, every one with raw identifiers in the request."""
    analyst = create_key(driver, db, "afc_analyst", None)[1]
    h = {"Authorization": f"Bearer {analyst}"}
    incidents = _rows(feeds / "incidents.csv")
    inc = incidents[0]
    login = _rows(feeds / "logins.csv")[0]
    phone = _rows(feeds / "phones.csv")[0]
    acc = _rows(feeds / "accounts.csv")[0]
    app = create_app(settings, config=ApiConfig(audit_dir=audit_dir), engine=engine)
    texts: list[str] = []
    with TestClient(app, raise_server_exceptions=False) as c:
        calls = [
            # Raw identifiers travel in the body of the lookup, never in an address.
            ("POST", "/v1/entities/lookup",
             {"kind": "account", "id": inc["beneficiary_ibans"].split(";")[0]}),
            ("POST", "/v1/entities/lookup", {"kind": "account", "id": login["iban"]}),
            ("POST", "/v1/entities/lookup", {"kind": "person", "id": acc["holder_iin"]}),
            ("POST", "/v1/entities/lookup", {"kind": "phone", "id": phone["number"]}),
            ("POST", "/v1/entities/lookup", {"kind": "device", "id": login["device_id"]}),
            ("POST", "/v1/check", {"payer_account": login["iban"],
                                   "payee_account": inc["beneficiary_ibans"].split(";")[0],
                                   "amount_kzt": 50000, "device_id": login["device_id"],
                                   "phone": phone["number"], "at": inc["reported_at"]}),
            ("GET", f"/v1/incidents/{inc['incident_id']}/trace", None),
            ("GET", "/v1/queries", None),
            ("POST", "/v1/queries/timeline", {"params": {"id": inc["victim_iban"]}}),
            ("POST", "/v1/queries/neighbourhood", {"params": {"id": inc["victim_iban"],
                                                              "hops": 2}}),
            ("POST", "/v1/queries/shared_identifiers", {"params": {"id": login["iban"]}}),
            ("GET", "/v1/clusters", None),
            ("GET", "/v1/lists/black", None),
            ("GET", "/v1/lists/grey", None),
            ("GET", "/v1/schemes/emerging", None),
            # A refusal must not echo the raw value either.
            ("GET", f"/v1/entities/person/{acc['holder_iin'][:11]}9x/risk", None),
            ("POST", "/v1/check", {"payer_account": login["iban"],
                                   "payee_account": login["iban"][:-1] + "!",
                                   "amount_kzt": 1, "phone": phone["number"] + "99"}),
        ]
        for method, url, body in calls:
            r = c.request(method, url, headers=h, json=body)
            assert r.status_code < 500, (url, r.text[:300])
            texts.append(r.text)
        assert sum(1 for t in texts[:7] if '"id"' in t or "decision" in t) >= 2
    return texts


def test_no_raw_identifier_anywhere(scanned: dict[str, str], tmp_path: Path) -> None:
    ids = Identifiers(tmp_path / "world")
    counts = json.loads(scanned["_ids"])
    # The scan has something to look for in every class.
    assert all(n > 50 for n in counts.values()), counts
    found = {name: sorted(ids.find(text))[:5] for name, text in scanned.items()
             if name != "_ids"}
    assert all(len(scanned[k]) > 0 for k in ("graph", "logs", "audit", "api responses",
                                             "load report", "detect report"))
    assert {k: v for k, v in found.items() if v} == {}, [
        ln[:300] for ln in scanned["logs"].splitlines() if ids.find(ln)][:5]


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scanner itself: each identifier class in each form it can take is found."""
    feeds = tmp_path / "f"
    feeds.mkdir()
    (feeds / "accounts.csv").write_text(
        "iban,bank,holder_iin,opened_at,kind\n"
        "KZ627049623917305518,ALTYN,060540000048,2006-05-13T13:04:02+05:00,merchant\n")
    (feeds / "phones.csv").write_text(
        "event_id,number,operator,holder_iin,event,at\n"
        "S1,+7 708 905 20 09,TELE2,900914300057,new_sim,2016-05-06T18:08:15+05:00\n")
    (feeds / "logins.csv").write_text(
        "session_id,iban,device_id,ip,at\n"
        "L1,KZ627049623917305518,and-104e0b848f945896,37.150.245.237,"
        "2026-05-01T09:01:39+05:00\n")
    ids = Identifiers(feeds)
    for text, hit in [("x kz627049623917305518 y", "KZ627049623917305518"),
                      ("a060540000048b", "060540000048"),
                      ('{"p": "87089052009"}', "77089052009"),
                      ("call +7 (708) 905-20-09 now", "77089052009"),
                      ("d=and-104e0b848f945896", "and-104e0b848f945896"),
                      ("from 37.150.245.237:443", "37.150.245.237")]:
        assert hit in ids.find(text), text
    assert ids.find("acc_3f9c0a1b2c3d4e5f60718293a4b5c6d7 ts=1773446400 12.5") == set()

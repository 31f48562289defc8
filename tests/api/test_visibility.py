"""The visibility rule and the screening rule as pure functions (no server)."""

from __future__ import annotations

from api.screening import screen
from api.visibility import Owner, Scope, band_floor, pseudonyms_in, redact_value

OWN = "acc_" + "1" * 32
FOREIGN = "acc_" + "2" * 32
FOREIGN2 = "acc_" + "3" * 32
KNOWN = {OWN: Owner(frozenset({"HALYK"}), "low"),
         FOREIGN: Owner(frozenset({"KASPI"}), "critical"),
         FOREIGN2: Owner(frozenset({"FORTE"}), None)}


def test_band_floor_tells_the_band_only() -> None:
    assert [band_floor(x) for x in (0.0, 0.29, 0.3, 0.61, 0.84, 0.85, 1.0)] == [
        0.0, 0.0, 0.3, 0.6, 0.6, 0.85, 0.85]
    assert band_floor(None) is None


def test_afc_roles_see_everything_banks_their_own() -> None:
    afc, bank = Scope(None), Scope("HALYK")
    assert afc.sees(["KASPI"]) and afc.sees([])
    assert bank.sees(["KASPI", "HALYK"]) and not bank.sees(["KASPI"]) and not bank.sees([])
    assert bank.sees_id(OWN, KNOWN) and not bank.sees_id(FOREIGN, KNOWN)
    assert not bank.sees_id("acc_" + "9" * 32, KNOWN)  # unknown counts as foreign


def test_paths_name_no_foreign_node_and_no_foreign_to_foreign_link() -> None:
    path = {"nodes": [{"kind": "account", "id": OWN}, {"kind": "account", "id": FOREIGN},
                      {"kind": "account", "id": FOREIGN2}],
            "rels": ["-[:TRANSFERRED]->", "-[:TRANSFERRED]->"], "weight": 0.4}
    out = Scope("HALYK").redact_path(path, KNOWN)
    assert out["nodes"][0] == {"kind": "account", "id": OWN}
    assert out["nodes"][1] == {"kind": "account", "id": None, "at_other_bank": True,
                               "band": "critical", "text": "an account at another bank"}
    assert out["rels"] == ["-[:TRANSFERRED]->", "-[:LINKED]-"]
    assert FOREIGN not in str(out) and FOREIGN2 not in str(out)
    assert Scope(None).redact_path(path, KNOWN) is path


def test_evidence_values_lose_foreign_pseudonyms() -> None:
    ev = {"accounts": [OWN, FOREIGN], "nested": {"to": FOREIGN2, "tx": ["t1"]}}
    assert pseudonyms_in(ev) == {OWN, FOREIGN, FOREIGN2}
    out = redact_value(ev, Scope("HALYK"), KNOWN)
    assert out == {"accounts": [OWN, "an account at another bank"],
                   "nested": {"to": "an account at another bank", "tx": ["t1"]}}


def test_screening_rule() -> None:
    row = {"risk": 0.2, "lists": [{"list": "grey", "on": "self", "entry": "le-1"}],
           "incidents": [], "account_risks": [0.9]}
    decision, reasons = screen("person", row, evidence=True)
    assert decision == "block"
    assert [r.code for r in reasons] == ["GREYLISTED", "HOLDS_RISK_CRITICAL"]
    assert "le-1" in reasons[0].text and "0.90" in reasons[1].text
    decision, reasons = screen("person", row, evidence=False)
    assert decision == "block" and "le-1" not in str(reasons) and "0.9" not in str(reasons)
    assert screen("account", None, evidence=False)[0] == "allow"
    d, rs = screen("account", {"risk": 0.65, "lists": [], "incidents": ["i1"],
                               "account_risks": []}, evidence=False)
    assert d == "review" and {r.code for r in rs} == {"RISK_HIGH", "INCIDENT_BENEFICIARY"}
    assert "i1" not in str(rs)
    d, rs = screen("person", {"lists": [{"list": "black", "on": "account", "entry": "x"}]},
                   evidence=False)
    assert d == "block" and rs[0].code == "HOLDS_BLACKLISTED"

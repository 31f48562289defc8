"""Features from what the AFC already knows at the cut-off: known mules among the
counterparties, victims of reported incidents who paid the account, list entries on
the account's holder, devices and phones, and heuristic signals.

No column may contain the account's own label (beneficiary of a reported incident,
black list). Hence: "victims who paid me" skips incidents that name this account as a
beneficiary, and counts over counterparties or co-users never include the account.
"""

from __future__ import annotations

import numpy as np

from fraudgraph.vocabulary import LABEL_OF
from gnn.features.identity import HAS_PHONE, USED, holder_of
from gnn.features.table import FeatureTable, count, distinct_pairs, log1p
from gnn.snapshot.timed import TimedSnapshot

TRANSFERS = ("Account", "TRANSFERRED", "Account")
VICTIM = ("Incident", "VICTIM", "Account")
BENEFICIARY = ("Incident", "BENEFICIARY", "Account")
LIST_TARGETS = tuple(LABEL_OF.values())


def _listed(snap: TimedSnapshot, target: str, kind: str | None) -> np.ndarray:
    """Per node of ``target``: on a list (of ``kind``, or any) since before the cut-off."""
    out = np.zeros(snap.count(target), dtype=bool)
    es = snap.edge(("ListEntry", "LISTS", target))
    lists = snap.node_attr("ListEntry", "list")
    if es is None or not len(es) or lists is None:
        return out
    sel = np.ones(len(es), dtype=bool) if kind is None else lists[es.src] == kind
    out[es.dst[sel]] = True
    return out


def _victim_payments(snap: TimedSnapshot, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct reported victims who paid each account, and the amount they paid,
    leaving out every incident that names the account as a beneficiary."""
    tr, vic, ben = snap.edge(TRANSFERS), snap.edge(VICTIM), snap.edge(BENEFICIARY)
    if tr is None or vic is None or not len(tr) or not len(vic):
        return np.zeros(n), np.zeros(n)
    n_inc = snap.count("Incident")
    is_victim = np.zeros(n, dtype=bool)
    is_victim[vic.dst] = True
    paid = is_victim[tr.src]
    src, dst = tr.src[paid], tr.dst[paid]
    amount = np.nan_to_num(tr.amount[paid]) if tr.amount is not None else np.ones(src.size)
    if ben is not None and len(ben):
        # (victim, beneficiary) pairs of the same incident: those payments are the label.
        v_of = _group(vic.src, vic.dst, n_inc)
        pairs = [(v, b) for i, b in zip(ben.src.tolist(), ben.dst.tolist(), strict=True)
                 for v in v_of.get(i, ())]
        if pairs:
            own = np.unique(np.array([v * n + b for v, b in pairs], dtype=np.int64))
            keep = ~np.isin(src.astype(np.int64) * n + dst, own)
            src, dst, amount = src[keep], dst[keep], amount[keep]
    _s, d = distinct_pairs(src, dst, n)
    return count(d, n), count(dst, n, amount)


def _group(keys: np.ndarray, values: np.ndarray, n_keys: int) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for k, v in zip(keys.tolist(), values.tolist(), strict=True):
        out.setdefault(k, []).append(v)
    return out


def known_neighbours(snap: TimedSnapshot, known: np.ndarray) -> dict[str, np.ndarray]:
    """Per account, counts of *other* known accounts it is one hop from: distinct payees
    and payers, co-users of its devices, other accounts of its holder. ``known``: per
    account, a known positive at the cut-off."""
    n = snap.count("Account")
    k = known.astype(np.float64)
    out = {name: np.zeros(n) for name in ("known_payees", "known_payers",
                                          "known_on_my_devices",
                                          "holder_other_known_accounts")}
    tr = snap.edge(TRANSFERS)
    if tr is not None and len(tr):
        ps, pd = distinct_pairs(tr.src, tr.dst, n)
        out["known_payees"] = count(ps, n, k[pd])
        out["known_payers"] = count(pd, n, k[ps])
    used = snap.edge(USED)
    if used is not None and len(used):
        known_on_dev = count(used.dst, snap.count("Device"), k[used.src])
        # Minus myself on each of my devices: only *other* known accounts count.
        out["known_on_my_devices"] = count(used.src, n, known_on_dev[used.dst] - k[used.src])
    holder = holder_of(snap)
    has = holder >= 0
    known_by_holder = count(holder[has], snap.count("Person"), k[has])
    out["holder_other_known_accounts"] = np.where(has, known_by_holder[np.maximum(holder, 0)]
                                                  - k, 0.0)
    return out


def proximity_features(table: FeatureTable, snap: TimedSnapshot, known: np.ndarray) -> None:
    """``known``: per account, a known positive at the cut-off (own label, never a column)."""
    n = snap.count("Account")
    near = known_neighbours(snap, known)
    tr = snap.edge(TRANSFERS)
    k = known.astype(np.float64)
    table.add("label", "known_payees", log1p(near["known_payees"]))
    table.add("label", "known_payers", log1p(near["known_payers"]))
    if tr is not None and len(tr):
        amount = np.nan_to_num(tr.amount) if tr.amount is not None else np.ones(len(tr))
        table.add("label", "kzt_to_known", log1p(count(tr.src, n, amount * k[tr.dst])))
        table.add("label", "kzt_from_known", log1p(count(tr.dst, n, amount * k[tr.src])))
    else:
        for name in ("kzt_to_known", "kzt_from_known"):
            table.add("label", name, np.zeros(n))
    victims, victim_kzt = _victim_payments(snap, n)
    table.add("context", "victims_paid_me", log1p(victims))
    table.add("context", "victim_kzt", log1p(victim_kzt))

    table.add("label", "known_on_my_devices", log1p(near["known_on_my_devices"]))
    used = snap.edge(USED)
    if used is not None and len(used):
        listed_dev = _listed(snap, "Device", None).astype(np.float64)
        table.add("context", "listed_devices", log1p(count(used.src, n, listed_dev[used.dst])))
    else:
        table.add("context", "listed_devices", np.zeros(n))

    holder = holder_of(snap)
    has = holder >= 0
    h = np.maximum(holder, 0)
    table.add("label", "holder_other_known_accounts", near["holder_other_known_accounts"])
    table.add("context", "holder_listed", np.where(has, _listed(snap, "Person", None)[h], False))
    phones = snap.edge(HAS_PHONE)
    if phones is not None and len(phones):
        listed_ph = _listed(snap, "Phone", None).astype(np.float64)
        per_person = count(phones.src, snap.count("Person"), listed_ph[phones.dst])
        table.add("context", "holder_listed_phones", np.where(has, per_person[h], 0.0))
    else:
        table.add("context", "holder_listed_phones", np.zeros(n))
    # Grey is a suspicion, not a label; black on the account is the label itself.
    table.add("context", "grey_listed", _listed(snap, "Account", "grey"))


def signal_features(table: FeatureTable, snap: TimedSnapshot,
                    scores: dict[str, np.ndarray] | None) -> None:
    """Heuristic signals per account: ``scores`` maps heuristic -> per-account score
    (0 = not flagged), computed as of the same cut-off (see pipeline)."""
    n = snap.count("Account")
    if not scores:
        return
    total = np.zeros(n)
    fired = np.zeros(n)
    for name in sorted(scores):
        s = np.asarray(scores[name], dtype=np.float64)
        table.add("signal", f"signal_{name}", s)
        total += s
        fired += s > 0
    table.add("signal", "signal_sum", total)
    table.add("signal", "signal_count", fired)

"""Identity features: the account itself, its holder, devices, phones and SIM history.

Droppers open accounts in several banks within days, log in from devices shared with
other holders' accounts, and their phones change SIM shortly before use. Relationships
count only from their start (``since``) before the cut-off.
"""

from __future__ import annotations

import numpy as np

from gnn.features.table import FeatureTable, count, distinct_pairs, log1p
from gnn.snapshot.timed import ACCOUNT_KINDS, SIM_KINDS, TimedSnapshot

DAY_S = 86_400.0
HOLDS = ("Person", "HOLDS", "Account")
USED = ("Account", "USED", "Device")
HAS_PHONE = ("Person", "HAS_PHONE", "Phone")
SIM_EVENT = ("Person", "SIM_EVENT", "Phone")
CALLED = ("Phone", "CALLED", "Phone")
_SWAP_PORT = (SIM_KINDS.index("swap"), SIM_KINDS.index("port"))


def holder_of(snap: TimedSnapshot) -> np.ndarray:
    """Per account, the index of its holder (Person), -1 if none is known yet."""
    n = snap.count("Account")
    out = np.full(n, -1, dtype=np.int64)
    es = snap.edge(HOLDS)
    if es is not None and len(es):
        out[es.dst] = es.src
    return out


def _by_holder(values: np.ndarray, holder: np.ndarray) -> np.ndarray:
    """A per-person value looked up for every account (0 without a holder)."""
    if values.size == 0:
        return np.zeros(holder.size)
    return np.where(holder >= 0, values[np.maximum(holder, 0)], 0.0)


def person_stats(snap: TimedSnapshot, cutoff: float, window_days: float) -> dict[str, np.ndarray]:
    """Per person: accounts, banks, recent openings, phones, SIM swaps/ports, shared
    phones, reported fraud calls. Also the node features of Person in the GNN."""
    n_p = snap.count("Person")
    recent_from = cutoff - window_days * DAY_S
    out: dict[str, np.ndarray] = {}
    holds = snap.edge(HOLDS)
    hp = holds.src if holds is not None else np.zeros(0, dtype=np.int64)
    ha = holds.dst if holds is not None else np.zeros(0, dtype=np.int64)
    out["accounts"] = count(hp, n_p)
    bank = snap.node_attr("Account", "bank")
    if bank is not None and ha.size:
        _, bank_code = np.unique(bank, return_inverse=True)
        p, _ = distinct_pairs(hp, bank_code[ha], int(bank_code.max()) + 1)
        out["banks"] = count(p, n_p)
    else:
        out["banks"] = np.zeros(n_p)
    opened = snap.node_attr("Account", "opened_at")
    if opened is not None and ha.size:
        out["accounts_opened_recent"] = count(hp[opened[ha] >= recent_from], n_p)
    else:
        out["accounts_opened_recent"] = np.zeros(n_p)

    phones = snap.edge(HAS_PHONE)
    n_ph = snap.count("Phone")
    if phones is not None and len(phones):
        holders_per_phone = count(phones.dst, n_ph)
        out["phones"] = count(phones.src, n_p)
        shared = np.zeros(n_p)
        np.maximum.at(shared, phones.src, holders_per_phone[phones.dst] - 1)
        out["phone_shared_with"] = shared
    else:
        out["phones"] = np.zeros(n_p)
        out["phone_shared_with"] = np.zeros(n_p)

    sims = snap.edge(SIM_EVENT)
    if sims is not None and len(sims):
        kind = snap.attrs(SIM_EVENT).get("kind", np.full(len(sims), -1.0))
        change = np.isin(kind, _SWAP_PORT)
        at = sims.at if sims.at is not None else np.full(len(sims), np.nan)
        out["sim_changes"] = count(sims.src[change], n_p)
        out["sim_changes_recent"] = count(sims.src[change & (at >= recent_from)], n_p)
    else:
        out["sim_changes"] = np.zeros(n_p)
        out["sim_changes_recent"] = np.zeros(n_p)

    calls = snap.edge(CALLED)
    if calls is not None and len(calls) and phones is not None and len(phones):
        made, got = count(calls.src, n_ph), count(calls.dst, n_ph)
        out["fraud_calls_made"] = count(phones.src, n_p, made[phones.dst])
        out["fraud_calls_received"] = count(phones.src, n_p, got[phones.dst])
    else:
        out["fraud_calls_made"] = np.zeros(n_p)
        out["fraud_calls_received"] = np.zeros(n_p)
    return out


def identity_features(table: FeatureTable, snap: TimedSnapshot, cutoff: float,
                      window_days: float) -> None:
    n = snap.count("Account")
    opened = snap.node_attr("Account", "opened_at")
    if opened is not None:
        age = np.where(np.isfinite(opened), (cutoff - opened) / DAY_S, 0.0)
        table.add("identity", "account_age_days", np.clip(age, 0.0, None))
    kind = snap.node_attr("Account", "kind")
    for k in ACCOUNT_KINDS:
        table.add("identity", f"kind_{k}",
                  (kind == k).astype(np.float64) if kind is not None else np.zeros(n))

    holder = holder_of(snap)
    for name, values in person_stats(snap, cutoff, window_days).items():
        table.add("identity", f"holder_{name}", log1p(_by_holder(values, holder)))

    used = snap.edge(USED)
    if used is not None and len(used):
        n_dev = snap.count("Device")
        per_device = count(used.dst, n_dev)
        table.add("identity", "devices", log1p(count(used.src, n)))
        shared = np.zeros(n)
        np.maximum.at(shared, used.src, per_device[used.dst] - 1)
        table.add("identity", "device_shared_max", log1p(shared))
        # Other holders on my devices: a device of one holder with 3 accounts is normal.
        dev_holders = _holders_per_device(used.src, used.dst, holder, n_dev)
        other = np.zeros(n)
        np.maximum.at(other, used.src, dev_holders[used.dst] - 1)
        table.add("identity", "device_other_holders", log1p(np.clip(other, 0, None)))
    else:
        for name in ("devices", "device_shared_max", "device_other_holders"):
            table.add("identity", name, np.zeros(n))


def _holders_per_device(acc: np.ndarray, dev: np.ndarray, holder: np.ndarray,
                        n_dev: int) -> np.ndarray:
    h = holder[acc]
    ok = h >= 0
    n_person = int(holder.max()) + 1 if holder.size and holder.max() >= 0 else 1
    d, _ = distinct_pairs(dev[ok], h[ok], n_person)
    return count(d, n_dev)
